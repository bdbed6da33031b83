import { Select, Tag } from 'antd';
import { loginFailureLabel } from '@vosul/common/audit-labels';
import { DataTable, JalaliRangePicker, TextInput } from '../../components';
import { LOGIN_EVENTS_API, type LoginEvent } from './types';

const resultOptions = [
  { value: 'true', label: 'موفق' },
  { value: 'false', label: 'ناموفق' },
];

/** V28: who signed in or failed to, when, and from where; filters and Excel export. */
export default function LoginReportPage() {
  return (
    <DataTable<LoginEvent>
      base={LOGIN_EVENTS_API}
      exportName="login-report.xlsx"
      createPath={null}
      editPath={null}
      deletable={false}
      searchable={false}
      filters={[
        { name: 'username', label: 'نام کاربری', input: <TextInput ltr allowClear style={{ width: 160 }} /> },
        { name: 'period', label: 'تاریخ', range: ['from', 'to'], input: <JalaliRangePicker /> },
        {
          name: 'succeeded',
          label: 'نتیجه',
          input: <Select allowClear placeholder="همه" options={resultOptions} style={{ width: 120 }} />,
        },
        {
          name: 'ip',
          label: 'IP',
          input: <TextInput ltr allowClear placeholder="مانند 10.1." style={{ width: 150 }} />,
        },
      ]}
      columns={[
        { key: 'at', title: 'زمان', type: 'datetime', sortable: false, width: 150 },
        { key: 'username', title: 'نام کاربری', type: 'latin', sortable: false },
        {
          key: 'succeeded',
          title: 'نتیجه',
          sortable: false,
          align: 'center',
          render: (e) => (e.succeeded ? <Tag color="green">موفق</Tag> : <Tag color="red">ناموفق</Tag>),
        },
        { key: 'reason', title: 'علت', sortable: false, value: (e) => loginFailureLabel(e.reason) },
        { key: 'ip', title: 'IP', type: 'latin', sortable: false },
        { key: 'user_agent', title: 'مرورگر', type: 'latin', sortable: false, ellipsis: true, width: 320 },
      ]}
    />
  );
}
