import { Progress, Tag, Typography } from 'antd';
import { persianImportReason } from '@vosul/common/import-reasons';
import {
  INTAKE_REFUSAL_LABELS,
  INTAKE_RUN_STATUS_LABELS,
  SNAPSHOT_FILE_LABELS,
  type IntakeRunStatus,
} from '@vosul/common/intake-labels';
import { formatDateTime, formatNumber } from '../../lib/format';
import type { IntakeRun } from './api';

const STATUS_COLORS: Record<IntakeRunStatus, string> = {
  queued: 'default',
  running: 'processing',
  retrying: 'warning',
  succeeded: 'success',
  failed: 'error',
  refused: 'volcano',
};

export const isActive = (run: Pick<IntakeRun, 'status'>) =>
  run.status === 'queued' || run.status === 'running' || run.status === 'retrying';

export function RunStatusTag({ run }: { run: IntakeRun }) {
  return (
    <Tag color={STATUS_COLORS[run.status]} data-testid={`run-status-${run.id}`}>
      {INTAKE_RUN_STATUS_LABELS[run.status]}
    </Tag>
  );
}

/** Rows read, loaded and rejected per file. */
export function FileCounts({ run }: { run: IntakeRun }) {
  if (run.files.length === 0) return <span style={{ color: '#a0aab0' }}>—</span>;
  return (
    <div style={{ fontSize: 12, lineHeight: 1.7 }} data-testid={`run-counts-${run.id}`}>
      {run.files.map((f) => (
        <div key={f.file}>
          {SNAPSHOT_FILE_LABELS[f.file] ?? f.file}: خوانده {formatNumber(f.read ?? '-', true)}، بارگذاری{' '}
          {formatNumber(f.loaded ?? '-', true)}
          {f.rejected > 0 && (
            <Typography.Text type="danger">، رد {formatNumber(f.rejected, true)}</Typography.Text>
          )}
        </div>
      ))}
    </div>
  );
}

/** Why a run did not succeed, or where a running one is. */
export function RunMessage({ run }: { run: IntakeRun }) {
  if (run.status === 'running')
    return <Progress percent={Math.round(run.progress * 100)} size="small" style={{ minWidth: 140 }} />;
  const parts: string[] = [];
  if (run.refusal) parts.push(INTAKE_REFUSAL_LABELS[run.refusal] ?? run.refusal);
  if (run.status === 'retrying' && run.next_attempt_at)
    parts.push(`تلاش بعدی: ${formatDateTime(run.next_attempt_at)}`);
  if (run.forced) parts.push('بارگذاری اجباری');
  return (
    <div style={{ fontSize: 12 }}>
      {parts.map((p) => (
        <div key={p}>{p}</div>
      ))}
      {run.message && run.status !== 'succeeded' && (
        <Typography.Text type="secondary" style={{ fontSize: 11 }}>
          <ImportMessage message={run.message} />
        </Typography.Text>
      )}
    </div>
  );
}

const PERSIAN_LETTER = /[\u0600-\u06ff]/;

/**
 * The import's message (refusal, failure) in Persian; its English original — as the CLI and the logs
 * give it — on hover, or below it with `withOriginal`. An unknown English message is shown left to right.
 */
export function ImportMessage({
  message,
  withOriginal = false,
}: {
  message: string;
  withOriginal?: boolean;
}) {
  const persian = persianImportReason(message);
  if (persian === message)
    return <span className={PERSIAN_LETTER.test(message) ? undefined : 'vosul-ltr-text'}>{message}</span>;
  return (
    <>
      <span title={message} data-testid="import-message">
        {persian}
      </span>
      {withOriginal && (
        <div>
          <Typography.Text type="secondary" className="vosul-ltr-text" style={{ fontSize: 11 }}>
            {message}
          </Typography.Text>
        </div>
      )}
    </>
  );
}
