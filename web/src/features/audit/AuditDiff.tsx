import { Table, Typography } from 'antd';
import { toPersianDigits } from '@vosul/common/text';
import { formatDateTime } from '../../lib/format';
import { FIELD_LABELS } from './types';

interface DiffRow {
  key: string;
  label: string;
  before: unknown;
  after: unknown;
  changed: boolean;
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const asRecord = (value: unknown): Record<string, unknown> | null =>
  value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;

/** A stored value as a person reads it: Persian digits, Jalali timestamps, yes/no, lists joined. */
export function showValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'بله' : 'خیر';
  if (typeof value === 'string')
    return ISO_TIMESTAMP.test(value) ? formatDateTime(value, true) : toPersianDigits(value);
  if (typeof value === 'number' || typeof value === 'bigint') return toPersianDigits(String(value));
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
    return value.map(showValue).join('، ');
  }
  return toPersianDigits(JSON.stringify(value));
}

/** The fields of before and after, in their first-seen order; changed ones flagged. */
export function diffRows(before: unknown, after: unknown): DiffRow[] {
  const b = asRecord(before);
  const a = asRecord(after);
  if (!b && !a) return [];
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])];
  return keys.map((key) => {
    const bv = b?.[key];
    const av = a?.[key];
    // Only an update has two sides to compare; a create or a delete shows one side plainly.
    const changed = !!b && !!a && JSON.stringify(bv ?? null) !== JSON.stringify(av ?? null);
    return { key, label: FIELD_LABELS[key] ?? key, before: bv, after: av, changed };
  });
}

/** Before and after side by side; fields that changed are in red. */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const rows = diffRows(before, after);
  const changedCount = rows.filter((r) => r.changed).length;
  const cell = (value: unknown, row: DiffRow) => (
    <span
      className="vosul-audit-value"
      style={row.changed ? { color: '#cf1322', fontWeight: 600 } : undefined}
    >
      {showValue(value)}
    </span>
  );
  return (
    <>
      {changedCount > 0 && (
        <Typography.Paragraph type="danger" data-testid="audit-changed-count">
          {`${toPersianDigits(changedCount)} فیلد تغییر کرده است (با رنگ قرمز).`}
        </Typography.Paragraph>
      )}
      <Table<DiffRow>
        rowKey="key"
        size="small"
        bordered
        pagination={false}
        dataSource={rows}
        data-testid="audit-diff"
        rowClassName={(r) => (r.changed ? 'vosul-audit-changed' : '')}
        onRow={(r) => (r.changed ? { style: { background: '#fff1f0' } } : {})}
        locale={{ emptyText: 'اطلاعاتی ثبت نشده است' }}
        columns={[
          {
            key: 'label',
            title: 'فیلد',
            width: 180,
            render: (_v, r) => (
              <span style={r.changed ? { color: '#cf1322', fontWeight: 600 } : undefined}>{r.label}</span>
            ),
          },
          { key: 'before', title: 'پیش از تغییر', render: (_v, r) => cell(r.before, r) },
          { key: 'after', title: 'پس از تغییر', render: (_v, r) => cell(r.after, r) },
        ]}
      />
    </>
  );
}
