import { Link } from 'react-router-dom';
import { DataTable, RemoteSelect } from '../../components';
import { formatCodeName } from '../../lib/format';
import { CASES_API, facilitiesPath, type CaseListItem } from './types';

/** V15 active cases: customer number (opens the case), name, mobile, branch, facilities; search, delete, export. */
export default function CaseList() {
  return (
    <DataTable<CaseListItem>
      base={CASES_API}
      searchHint="ابتدای شماره مشتری، نام یا موبایل؛ یا ارقام آخر موبایل"
      exportName="cases.xlsx"
      defaultSort={{ sort: 'customer_no', order: 'asc' }}
      deleteConfirm={(n) =>
        `${n.toLocaleString('fa-IR')} پرونده انتخاب‌شده حذف شوند؟ پرونده‌ای که تسهیلات فعال دارد حذف نمی‌شود. این کار برگشت‌پذیر نیست.`
      }
      filters={[
        {
          name: 'branch_id',
          label: 'شعبه',
          input: (
            <RemoteSelect base="/api/v1/branches" placeholder="جستجو با کد یا نام" style={{ width: 200 }} />
          ),
        },
      ]}
      columns={[
        { key: 'customer_no', title: 'شماره مشتری', width: 140 },
        { key: 'full_name', title: 'نام و نام خانوادگی' },
        { key: 'mobile', title: 'تلفن همراه', type: 'number' },
        { key: 'national_id', title: 'کد ملی', type: 'number' },
        {
          key: 'branch_code',
          title: 'شعبه',
          value: (c) => formatCodeName(c.branch_code, c.branch_name),
        },
        { key: 'facility_count', title: 'تعداد تسهیلات', type: 'number', align: 'center' },
        {
          key: 'facilities',
          title: 'تسهیلات',
          sortable: false,
          align: 'center',
          render: (c) => <Link to={facilitiesPath(c.id)}>تسهیلات</Link>,
        },
      ]}
    />
  );
}
