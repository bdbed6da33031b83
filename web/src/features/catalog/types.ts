/** Loan types (V12) and deposit types (V31): a code and a title. */
export interface CodeTitle {
  id: number;
  code: string;
  title: string;
  version: number;
}

export const LOAN_TYPES_API = '/api/v1/loan-types';
export const DEPOSIT_TYPES_API = '/api/v1/deposit-types';
