import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/harness.js';
import { parseConfig } from '../platform/config.js';
import { formatBench, runBench } from './bench.js';

const { url } = await createTestDatabase();

describe('vosul bench', () => {
  it('measures the import against raw COPY, the case search against a signed-in no-op, the run against a bare aggregate', async () => {
    // the bench makes a database of its own on the server of DATABASE_URL and drops it after
    const config = parseConfig({
      DATABASE_URL: url,
      VOSUL_SECRET_KEY: 'test-secret-key-test-secret-key-0123456789',
      LOG_LEVEL: 'silent',
    });
    const result = await runBench(config, { customers: 300, apiSeconds: 1, log: () => undefined });
    expect(result.customers).toBe(300);
    expect(result.facilities).toBeGreaterThan(300);
    expect(result.installments).toBeGreaterThan(result.facilities);
    const { import: imp, api } = result;
    expect(imp.rows).toBeGreaterThan(result.customers + result.facilities + result.installments);
    expect(imp.raw_copy_seconds).toBeGreaterThan(0);
    // the ratio is of the unrounded raw COPY time (a few hundredths of a second on so small a book)
    expect(Math.abs(imp.ratio / (imp.seconds / imp.raw_copy_seconds) - 1)).toBeLessThan(0.2);
    expect(imp.reimport_seconds).toBeGreaterThan(0);
    expect(imp.peak_rss_mb).toBeGreaterThan(20);
    expect(api).toMatchObject({ endpoint: 'GET /api/v1/cases?q=…', connections: 50, errors: 0 });
    expect(api.requests).toBeGreaterThan(0);
    expect(api.floor.endpoint).toBe('GET /api/v1/auth/me');
    expect(api.floor.requests_per_second).toBeGreaterThan(0);
    expect(Math.abs(api.p95_ratio / (api.p95_ms / api.floor.p95_ms) - 1)).toBeLessThan(0.05);
    expect(formatBench(result)).toContain('ratio search p95 / floor p95');
    const run = result.run_day;
    expect(run.facilities).toBe(result.facilities); // none closed in a fresh book
    expect(run.bare_aggregate_seconds).toBeGreaterThan(0);
    // rounded to two places: off by at most half a hundredth (plus floating point's own error)
    const roundingBound = 0.005 + 1e-9;
    expect(Math.abs(run.ratio - run.seconds / run.bare_aggregate_seconds)).toBeLessThanOrEqual(roundingBound);
    expect(run.seconds_without_planning).toBeCloseTo(run.seconds - (run.steps.day.planning ?? 0), 2);
    expect(
      Math.abs(run.ratio_without_planning - run.seconds_without_planning / run.bare_aggregate_seconds),
    ).toBeLessThanOrEqual(roundingBound);
    expect(run.first_run_seconds).toBeGreaterThan(0);
    expect(
      Math.abs(run.first_run_ratio - run.first_run_seconds / run.bare_aggregate_seconds),
    ).toBeLessThanOrEqual(roundingBound);
    // two working days in a row, the second no later than today
    expect(run.dates.first < run.dates.day).toBe(true);
    expect(new Date(`${run.dates.day}T12:00:00Z`).getUTCDay()).not.toBe(5);
    expect(new Date(`${run.dates.first}T12:00:00Z`).getUTCDay()).not.toBe(5);
    expect(run.rerun_seconds).toBeGreaterThan(0);
    // where each run's time went: the stages of `vosul run-day --json`
    expect(Object.keys(run.steps.day)).toEqual(expect.arrayContaining(['figures', 'saving', 'summary']));
    expect(formatBench(result)).toContain('ratio run-day / bare aggregate');
    // the bench book's dunning ladder is planned by the first run, nothing twice by the same day again
    expect(run.planned.first).toBeGreaterThan(0);
    expect(run.planned.rerun).toBe(0);
    expect(Object.keys(run.steps.day)).toContain('planning');
    expect(run.day_planning_share).toBeGreaterThanOrEqual(0);
    // planning's own limit: the day's rows written again, timed in the same run
    expect(run.outbox_write_seconds).toBeGreaterThan(0);
    expect(
      Math.abs(run.planning_ratio_to_outbox_write - (run.steps.day.planning ?? 0) / run.outbox_write_seconds),
    ).toBeLessThanOrEqual(roundingBound);
    expect(formatBench(result)).toContain('ratio planning / that write');
    // every facility of the small book got an SMS, sent and reported
    expect(result.dispatch.notifications).toBe(result.facilities);
    expect(result.dispatch.per_second).toBeGreaterThan(0);
    // and again through Kavenegar's REST API, in batches of at most 200
    expect(result.dispatch_kavenegar.notifications).toBe(result.facilities);
    expect(result.dispatch_kavenegar.sendarray_calls).toBeGreaterThanOrEqual(
      Math.ceil(result.facilities / 200),
    );
    expect(formatBench(result)).toContain('Kavenegar REST throughput');
    // and over SMPP: the bench's text (over 70 characters) in two parts, each submitted once, each receipt kept
    expect(result.dispatch_smpp.notifications).toBe(result.facilities);
    expect(result.dispatch_smpp.submits).toBe(2 * result.facilities);
    expect(result.dispatch_smpp.submits_per_second).toBeGreaterThan(0);
    expect(formatBench(result)).toContain('SMPP throughput');
  }, 180_000);
});
