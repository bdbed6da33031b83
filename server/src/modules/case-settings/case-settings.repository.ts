import type { Executor } from '../../platform/db/database.js';
import type { CaseSettingsInput } from '@vosul/common/case-settings';

/** V9: the overdue-day ranges and amount thresholds, as ordered rows. */
export async function findCaseSettings(db: Executor) {
  const [ranges, thresholds] = await Promise.all([
    db
      .selectFrom('overdue_day_ranges')
      .select(['from_days', 'to_days', 'title'])
      .orderBy('position')
      .execute(),
    db.selectFrom('overdue_amount_thresholds').select('amount').orderBy('position').execute(),
  ]);
  return { ranges, thresholds: thresholds.map((t) => t.amount) };
}

/** Replaces both lists (the form edits them whole). */
export async function replaceCaseSettings(db: Executor, input: CaseSettingsInput): Promise<void> {
  await db.deleteFrom('overdue_day_ranges').execute();
  await db.deleteFrom('overdue_amount_thresholds').execute();
  await db
    .insertInto('overdue_day_ranges')
    .values(input.ranges.map((r, i) => ({ position: i + 1, ...r })))
    .execute();
  if (input.thresholds.length > 0)
    await db
      .insertInto('overdue_amount_thresholds')
      .values(input.thresholds.map((amount, i) => ({ position: i + 1, amount })))
      .execute();
}
