/** Records of the org module as the API answers them. */
export interface Province {
  id: number;
  code: string;
  name: string;
  version: number;
}

export interface Branch {
  id: number;
  code: string;
  name: string;
  province_id: number;
  province_code: string;
  province_name: string;
  parent_id: number | null;
  parent_code: string | null;
  parent_name: string | null;
  address: string | null;
  ip: string | null;
  version: number;
}

export const PROVINCES_API = '/api/v1/provinces';
export const BRANCHES_API = '/api/v1/branches';
