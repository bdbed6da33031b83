/** Records of the org module: the contracts in common/src/org.ts (types only, no runtime code). */
export type { Branch, Province } from '@vosul/common/org';

export const PROVINCES_API = '/api/v1/provinces';
export const BRANCHES_API = '/api/v1/branches';
