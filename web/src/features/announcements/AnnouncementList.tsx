import { Select, Tag } from 'antd';
import { ANNOUNCEMENT_STATUSES } from '@vosul/common/announcements';
import { DataTable, RemoteSelect } from '../../components';
import { PROVINCES_API } from '../org/types';
import { ANNOUNCEMENTS_API, type Announcement } from './types';

const STATUS_OPTIONS = Object.entries(ANNOUNCEMENT_STATUSES).map(([value, label]) => ({ value, label }));

/** V10 مدیریت اعلان: search by code, title or author; filter by status and province. */
export default function AnnouncementList() {
  return (
    <DataTable<Announcement>
      base={ANNOUNCEMENTS_API}
      exportName="announcements.xlsx"
      defaultSort={{ sort: 'announced_on', order: 'desc' }}
      searchHint="کد، عنوان یا نویسنده"
      filters={[
        {
          name: 'status',
          label: 'وضعیت',
          input: <Select allowClear options={STATUS_OPTIONS} style={{ minWidth: 120 }} />,
        },
        {
          name: 'province_id',
          label: 'استان',
          input: (
            <RemoteSelect base={PROVINCES_API} pageSize={500} search="local" style={{ minWidth: 180 }} />
          ),
        },
      ]}
      columns={[
        { key: 'code', title: 'کد اعلان', type: 'latin', width: 120 },
        { key: 'title', title: 'عنوان' },
        { key: 'announced_on', title: 'تاریخ', type: 'date', width: 120 },
        { key: 'author_name', title: 'نویسنده', width: 160 },
        {
          key: 'status',
          title: 'وضعیت',
          width: 100,
          render: (a) => (
            <Tag color={a.status === 'active' ? 'green' : 'default'}>{ANNOUNCEMENT_STATUSES[a.status]}</Tag>
          ),
        },
        { key: 'province_name', title: 'محدوده', width: 140, value: (a) => a.province_name ?? 'عمومی' },
        { key: 'file_name', title: 'پیوست', sortable: false, width: 160, ellipsis: true },
      ]}
    />
  );
}
