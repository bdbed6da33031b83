/**
 * The home page's collection picture (V32, T9, P8) for the user's scope, read from the daily run's
 * summaries. Amounts are strings of digits (Rials).
 */
import { z } from 'zod';

const amount = z.string();

const bucketSchema = z.object({
  key: z.string(),
  title: z.string(),
  facilities: z.number().int(),
  overdue_amount: amount,
  collectible_amount: amount,
});
export type DashboardBucket = z.infer<typeof bucketSchema>;

export const dashboardSchema = z.object({
  /** The business date of the latest run; null before the first run. */
  as_of: z.string().nullable(),
  totals: z.object({
    facilities_in_arrears: z.number().int(),
    overdue_amount: amount,
    collectible_amount: amount,
    unpaid_amount: amount,
  }),
  by_class: z.array(bucketSchema),
  by_range: z.array(bucketSchema),
  by_amount: z.array(bucketSchema),
  /** The branches with the largest overdue amount (top 10). */
  top_branches: z.array(bucketSchema.extend({ branch_id: z.number().int() })),
  /** Per Jalali month (`1404/08`, Latin digits): collected, and the overdue amount at the month's last run. */
  series: z.array(z.object({ month: z.string(), collected: amount, overdue_amount: amount.nullable() })),
  recovery: z.object({
    /** collected ÷ (collected + overdue now), 0…1; null when both are zero. */
    rate: z.number().nullable(),
    collected: amount,
    window_days: z.number().int(),
  }),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

/** Window of the recovery rate (days up to the latest run's date). */
export const RECOVERY_WINDOW_DAYS = 30;
/** Months of the collected-vs-overdue series. */
export const SERIES_MONTHS = 12;
