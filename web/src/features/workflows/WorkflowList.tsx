import { Tag } from 'antd';
import { toPersianDigits } from '@vosul/common/text';
import { CHANNELS, RECIPIENTS, dayRangeLabel, type Workflow } from '@vosul/common/workflows';
import { DataTable } from '../../components';
import { WORKFLOWS_API } from './api';

/** V13: the workflows with search over every column and multi-select delete. */
export default function WorkflowList() {
  return (
    <DataTable<Workflow>
      base={WORKFLOWS_API}
      exportName="workflows.xlsx"
      defaultSort={{ sort: 'title', order: 'asc' }}
      deleteConfirm={(count) =>
        `${toPersianDigits(count)} گردش کار انتخاب‌شده و الگوهای آن حذف شود؟ این کار برگشت‌پذیر نیست.`
      }
      columns={[
        { key: 'title', title: 'عنوان' },
        {
          key: 'from_day',
          title: 'بازه',
          value: (w) => dayRangeLabel(w.from_day, w.to_day),
        },
        {
          key: 'loan_types',
          title: 'نوع وام',
          sortable: false,
          value: (w) => w.loan_types.map((t) => t.title).join('، '),
        },
        {
          key: 'branches',
          title: 'شعبه',
          sortable: false,
          value: (w) => (w.branches.length ? w.branches.map((b) => b.name).join('، ') : 'همه شعب'),
        },
        { key: 'min_overdue_amount', title: 'حداقل مبلغ معوق', type: 'money' },
        {
          key: 'channels',
          title: 'نوع اطلاع‌رسانی',
          sortable: false,
          value: (w) => w.channels.map((c) => CHANNELS[c]).join('، '),
        },
        {
          key: 'recipients',
          title: 'گیرنده',
          sortable: false,
          value: (w) => w.recipients.map((r) => RECIPIENTS[r]).join('، '),
        },
        {
          key: 'templates',
          title: 'الگوها',
          sortable: false,
          value: (w) => `${w.templates.length} الگو`,
        },
        {
          key: 'active',
          title: 'وضعیت',
          render: (w) => (w.active ? <Tag color="green">فعال</Tag> : <Tag>غیرفعال</Tag>),
        },
      ]}
    />
  );
}
