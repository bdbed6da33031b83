import { Button, Descriptions, Drawer, Select, Tag } from 'antd';
import { useState } from 'react';
import {
  AUDIT_ACTION_LABELS,
  AUDIT_ENTITY_LABELS,
  auditEntityLabel,
  type AuditAction,
} from '@vosul/common/audit-labels';
import { toPersianDigits } from '@vosul/common/text';
import { DataTable, JalaliRangePicker, TextInput } from '../../components';
import { formatDateTime } from '../../lib/format';
import { AuditDiff } from './AuditDiff';
import { AUDIT_API, type AuditEntry } from './types';

const ACTION_COLORS: Record<AuditAction, string> = { create: 'green', update: 'blue', delete: 'red' };

const entityOptions = Object.entries(AUDIT_ENTITY_LABELS).map(([value, label]) => ({ value, label }));
const actionOptions = Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label }));

/** B4: who changed what and when, with the values before and after; filters, export, a detail drawer. */
export default function AuditLogPage() {
  const [open, setOpen] = useState<AuditEntry | null>(null);
  return (
    <>
      <DataTable<AuditEntry>
        base={AUDIT_API}
        exportName="audit.xlsx"
        createPath={null}
        editPath={null}
        deletable={false}
        searchable={false}
        filters={[
          { name: 'username', label: 'کاربر', input: <TextInput ltr allowClear style={{ width: 160 }} /> },
          {
            name: 'entity',
            label: 'نوع رکورد',
            input: <Select allowClear placeholder="همه" options={entityOptions} style={{ width: 160 }} />,
          },
          {
            name: 'entity_id',
            label: 'شناسه رکورد',
            input: <TextInput ltr allowClear style={{ width: 120 }} />,
          },
          { name: 'period', label: 'تاریخ', range: ['from', 'to'], input: <JalaliRangePicker /> },
          {
            name: 'action',
            label: 'عملیات',
            input: <Select allowClear placeholder="همه" options={actionOptions} style={{ width: 120 }} />,
          },
        ]}
        columns={[
          { key: 'at', title: 'زمان', type: 'datetime', sortable: false, width: 150 },
          { key: 'actor_username', title: 'کاربر', type: 'latin', sortable: false },
          { key: 'ip', title: 'IP', type: 'latin', sortable: false },
          { key: 'entity', title: 'نوع رکورد', sortable: false, value: (e) => auditEntityLabel(e.entity) },
          { key: 'entity_id', title: 'شناسه رکورد', sortable: false },
          {
            key: 'action',
            title: 'عملیات',
            sortable: false,
            render: (e) => <Tag color={ACTION_COLORS[e.action]}>{AUDIT_ACTION_LABELS[e.action]}</Tag>,
          },
          {
            key: 'details',
            title: 'جزئیات',
            sortable: false,
            align: 'center',
            render: (e) => (
              <Button type="link" size="small" onClick={() => setOpen(e)}>
                مشاهده
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        open={!!open}
        onClose={() => setOpen(null)}
        placement="left"
        size="large"
        title={
          open
            ? `${auditEntityLabel(open.entity)} ${toPersianDigits(open.entity_id)} — ${AUDIT_ACTION_LABELS[open.action]}`
            : ''
        }
        destroyOnHidden
      >
        {open && (
          <>
            <Descriptions
              size="small"
              column={1}
              bordered
              style={{ marginBottom: 16 }}
              items={[
                { key: 'at', label: 'زمان', children: formatDateTime(open.at, true) },
                {
                  key: 'user',
                  label: 'کاربر',
                  children: <span className="vosul-ltr-text">{open.actor_username ?? '—'}</span>,
                },
                {
                  key: 'ip',
                  label: 'IP',
                  children: <span className="vosul-ltr-text">{open.ip ?? '—'}</span>,
                },
                { key: 'entity', label: 'نوع رکورد', children: auditEntityLabel(open.entity) },
                { key: 'entity_id', label: 'شناسه رکورد', children: toPersianDigits(open.entity_id) },
              ]}
            />
            <AuditDiff before={open.before} after={open.after} />
          </>
        )}
      </Drawer>
    </>
  );
}
