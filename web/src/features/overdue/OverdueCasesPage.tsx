import { Select, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { CBI_CLASSES, FACILITY_STATUSES, type CbiClass } from '@vosul/common/cases-labels';
import { DataTable, RemoteSelect } from '../../components';
import { formatCodeName } from '../../lib/format';
import { facilityPath } from '../cases/types';
import { RangeInput } from './RangeInput';
import { OVERDUE_API, type OverdueItem } from './types';

const CLASS_COLORS: Record<CbiClass, string> = {
  current: 'green',
  past_due: 'gold',
  deferred: 'orange',
  doubtful: 'red',
};
const classOptions = Object.entries(CBI_CLASSES).map(([value, label]) => ({ value, label }));
const subBranchOptions = [
  { value: 'false', label: 'فقط همین شعبه' },
  { value: 'true', label: 'با زیرشعبه‌ها' },
];

/** The class of a facility as a coloured tag; a written-off facility has none. */
function ClassTag({ item }: { item: OverdueItem }) {
  if (!item.cbi_class) return <Tag>{FACILITY_STATUSES.written_off}</Tag>;
  return (
    <Tag color={CLASS_COLORS[item.cbi_class]} data-testid="cbi-class">
      {CBI_CLASSES[item.cbi_class]}
    </Tag>
  );
}

/** V33: every facility in arrears in the user's scope, filtered, sorted by any column, exported. */
export default function OverdueCasesPage() {
  return (
    <DataTable<OverdueItem>
      base={OVERDUE_API}
      searchHint="ابتدای شماره تسهیلات، شماره مشتری یا نام خانوادگی"
      exportName="overdue-cases.xlsx"
      createPath={null}
      editPath={null}
      deletable={false}
      defaultSort={{ sort: 'overdue_days', order: 'desc' }}
      filters={[
        {
          name: 'branch_id',
          label: 'شعبه',
          input: (
            <RemoteSelect base="/api/v1/branches" placeholder="جستجو با کد یا نام" style={{ width: 200 }} />
          ),
        },
        {
          name: 'sub_branches',
          label: 'زیرشعبه‌ها',
          input: (
            <Select
              allowClear
              placeholder="فقط همین شعبه"
              options={subBranchOptions}
              style={{ width: 140 }}
            />
          ),
        },
        {
          name: 'loan_type_id',
          label: 'نوع وام',
          input: (
            <RemoteSelect
              base="/api/v1/loan-types"
              placeholder="جستجو با کد یا عنوان"
              style={{ width: 200 }}
            />
          ),
        },
        {
          name: 'cbi_class',
          label: 'طبقه',
          multiple: true,
          input: (
            <Select
              mode="multiple"
              allowClear
              placeholder="همه"
              options={classOptions}
              style={{ minWidth: 200 }}
            />
          ),
        },
        {
          name: 'days',
          label: 'روزهای معوق',
          range: ['days_from', 'days_to'],
          input: <RangeInput label="روزهای معوق" />,
        },
        {
          name: 'amount',
          label: 'مبلغ معوق (ریال)',
          range: ['amount_from', 'amount_to'],
          input: <RangeInput label="مبلغ معوق" money />,
        },
      ]}
      columns={[
        {
          key: 'facility_no',
          title: 'شماره تسهیلات',
          // the facility page is open to this page's users too (SHARED_ROUTES, like its API)
          render: (i) => (
            <Link to={facilityPath(i.facility_no)} className="vosul-ltr-text">
              {i.facility_no}
            </Link>
          ),
        },
        { key: 'customer_no', title: 'شماره مشتری' },
        { key: 'borrower_name', title: 'نام وام‌گیرنده' },
        { key: 'mobile', title: 'تلفن همراه', type: 'number' },
        { key: 'branch_code', title: 'شعبه', value: (i) => formatCodeName(i.branch_code, i.branch_name) },
        {
          key: 'loan_type_title',
          title: 'نوع وام',
          value: (i) => formatCodeName(i.loan_type_code, i.loan_type_title),
        },
        { key: 'overdue_days', title: 'روزهای معوق', type: 'number', align: 'center' },
        { key: 'overdue_installments', title: 'اقساط معوق', type: 'number', align: 'center' },
        { key: 'overdue_amount', title: 'مبلغ معوق (ریال)', type: 'money' },
        { key: 'penalty', title: 'وجه التزام (ریال)', type: 'money' },
        { key: 'collectible_amount', title: 'قابل وصول (ریال)', type: 'money' },
        { key: 'unpaid_amount', title: 'مانده (ریال)', type: 'money' },
        { key: 'cbi_class', title: 'طبقه', align: 'center', render: (i) => <ClassTag item={i} /> },
        { key: 'as_of', title: 'تاریخ محاسبه', type: 'date' },
      ]}
      header={
        <span style={{ color: '#888' }}>ارقام هر تسهیلات به تاریخ محاسبه‌اش در آخرین اجرای روزانه است.</span>
      }
    />
  );
}
