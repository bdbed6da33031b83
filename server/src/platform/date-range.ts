import { sql, type SelectQueryBuilder, type SqlBool } from 'kysely';

/** A filter by business days: `from` and `to` (ISO dates) are both included; either may be left open. */
export interface DateRange {
  from?: string | undefined;
  to?: string | undefined;
}

/** Today's business date (YYYY-MM-DD) in `timeZone`. */
export const todayIn = (timeZone: string, now = new Date()) =>
  new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);

/** The start of business day `date` in `timeZone`, as a timestamptz expression. */
export const dayStart = (date: string, timeZone: string) =>
  sql<Date>`(${date}::date)::timestamp at time zone ${timeZone}`;

/** The start of the business day after `date` in `timeZone` (the end of `date`, excluded). */
export const dayEnd = (date: string, timeZone: string) =>
  sql<Date>`(${date}::date + 1)::timestamp at time zone ${timeZone}`;

/**
 * Keeps the rows whose timestamptz `column` (a reference such as `a.at`) falls within the business
 * days of `range` in `timeZone`: from the start of `from` up to, not including, the day after `to`.
 */
export function whereInDays<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  column: string,
  range: DateRange,
  timeZone: string,
): SelectQueryBuilder<DB, TB, O> {
  let filtered = query;
  if (range.from)
    filtered = filtered.where(sql<SqlBool>`${sql.ref(column)} >= ${dayStart(range.from, timeZone)}`);
  if (range.to) filtered = filtered.where(sql<SqlBool>`${sql.ref(column)} < ${dayEnd(range.to, timeZone)}`);
  return filtered;
}
