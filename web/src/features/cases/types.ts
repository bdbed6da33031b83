/** Records of the cases module as the API answers them (common/src/cases.ts). */
export type {
  Case,
  CaseListItem,
  Facility,
  Guarantor,
  IncompleteItem,
  Installment,
} from '@vosul/common/cases';

export const CASES_API = '/api/v1/cases';
export const FACILITIES_API = '/api/v1/facilities';
export const INCOMPLETE_API = '/api/v1/incomplete-data';
export const CASES_PATH = '/cases';

/** The facilities screen of a case. */
export const facilitiesPath = (caseId: number | string) => `${CASES_PATH}/${caseId}/facilities`;

/** The page of one facility (figures, class history, installments, guarantors). */
export const facilityPath = (facilityNo: string) => `/facilities/${encodeURIComponent(facilityNo)}`;

/** The API address of one facility (its number has dashes; anything else is escaped). */
export const facilityApi = (facilityNo: string) => `${FACILITIES_API}/${encodeURIComponent(facilityNo)}`;
