/** Loan types (V12) and deposit types (V31): a code and a title (common/src/catalog.ts). */
export type { CatalogItem as CodeTitle } from '@vosul/common/catalog';

export const LOAN_TYPES_API = '/api/v1/loan-types';
export const DEPOSIT_TYPES_API = '/api/v1/deposit-types';
