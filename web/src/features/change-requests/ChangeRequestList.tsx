import { Select, Tag } from 'antd';
import { CHANGE_REQUEST_KINDS, CHANGE_REQUEST_STATUSES } from '@vosul/common/change-requests-labels';
import { DataTable } from '../../components';
import { formatCodeName } from '../../lib/format';
import { CHANGE_REQUESTS_API, STATUS_COLORS, requestPath, type ChangeRequestListItem } from './types';

const statusOptions = Object.entries(CHANGE_REQUEST_STATUSES).map(([value, label]) => ({ value, label }));
const kindOptions = Object.entries(CHANGE_REQUEST_KINDS).map(([value, label]) => ({ value, label }));

/** V19: the reviewer's list of change requests in their scope, newest first. */
export default function ChangeRequestList() {
  return (
    <DataTable<ChangeRequestListItem>
      base={CHANGE_REQUESTS_API}
      createPath={null}
      editPath={(r) => requestPath(r.id)}
      deletable={false}
      exportable={false}
      defaultSort={{ sort: 'requested_at', order: 'desc' }}
      filters={[
        {
          name: 'status',
          label: 'وضعیت',
          input: <Select allowClear placeholder="همه" options={statusOptions} style={{ width: 160 }} />,
        },
        {
          name: 'kind',
          label: 'نوع درخواست',
          input: <Select allowClear placeholder="همه" options={kindOptions} style={{ width: 160 }} />,
        },
      ]}
      columns={[
        { key: 'customer_no', title: 'شماره مشتری', width: 140 },
        { key: 'full_name', title: 'نام و نام خانوادگی' },
        { key: 'mobile', title: 'تلفن همراه', type: 'number' },
        {
          key: 'status',
          title: 'وضعیت درخواست',
          render: (r) => (
            <Tag color={STATUS_COLORS[r.status]} data-testid="request-status">
              {CHANGE_REQUEST_STATUSES[r.status]}
            </Tag>
          ),
        },
        { key: 'kind', title: 'نوع درخواست', value: (r) => CHANGE_REQUEST_KINDS[r.kind] },
        {
          key: 'branch_code',
          title: 'شعبه',
          value: (r) => formatCodeName(r.branch_code, r.branch_name),
        },
        { key: 'requested_by_name', title: 'درخواست‌دهنده' },
        { key: 'requested_at', title: 'تاریخ درخواست', type: 'datetime' },
      ]}
    />
  );
}
