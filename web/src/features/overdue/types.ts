/** Records of the overdue cases page as the API answers them (common/src/overdue.ts). */
export type { OverdueItem } from '@vosul/common/overdue';

export const OVERDUE_API = '/api/v1/overdue-facilities';
