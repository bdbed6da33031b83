import { z } from 'zod';
import { codeField, requiredText } from './org.js';

/**
 * Loan types (V12, انواع وام) and deposit types (V31, انواع سپرده): bank-wide base data, a unique
 * code and a title. Loan types are later referenced by facilities, workflows and CBI thresholds.
 */
export const loanTypeInputSchema = z.object({
  code: codeField('کد نوع وام'),
  title: requiredText(200, 'عنوان نوع وام'),
});
export const depositTypeInputSchema = z.object({
  code: codeField('کد نوع سپرده'),
  title: requiredText(200, 'عنوان نوع سپرده'),
});
export type CatalogInput = z.infer<typeof loanTypeInputSchema>;

export const catalogItemSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  version: z.number().int(),
});
export type CatalogItem = z.infer<typeof catalogItemSchema>;
export type LoanType = CatalogItem;
export type DepositType = CatalogItem;
