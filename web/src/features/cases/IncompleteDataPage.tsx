import { Select, Tag } from 'antd';
import { INCOMPLETE_REASONS, type IncompleteReason } from '@vosul/common/cases-labels';
import { useCanOpen } from '../../app/auth';
import { DataTable, RemoteSelect } from '../../components';
import { formatCodeName, toPersianDigits } from '../../lib/format';
import { CASES_PATH, INCOMPLETE_API, type IncompleteItem } from './types';

const reasonOptions = Object.entries(INCOMPLETE_REASONS).map(([value, label]) => ({ value, label }));

/** V29: cases that cannot be notified (no valid mobile, bad national code, a guarantor without phone), for correction. */
export default function IncompleteDataPage() {
  const canOpen = useCanOpen();
  return (
    <DataTable<IncompleteItem>
      base={INCOMPLETE_API}
      searchHint="ابتدای شماره مشتری، نام یا موبایل؛ یا ارقام آخر موبایل"
      exportName="incomplete-data.xlsx"
      createPath={null}
      editPath={canOpen('active_cases') ? (i) => `${CASES_PATH}/${i.id}` : null}
      deletable={false}
      defaultSort={{ sort: 'customer_no', order: 'asc' }}
      filters={[
        {
          name: 'reason',
          label: 'علت',
          input: <Select allowClear placeholder="همه" options={reasonOptions} style={{ width: 200 }} />,
        },
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
          value: (i) => formatCodeName(i.branch_code, i.branch_name),
        },
        {
          key: 'reasons',
          title: 'علت',
          sortable: false,
          render: (i) => (
            <>
              {i.reasons.map((r: IncompleteReason) => (
                <Tag key={r} color="red">
                  {INCOMPLETE_REASONS[r]}
                </Tag>
              ))}
              {i.guarantors_without_phone.length > 0 && (
                <div style={{ fontSize: 12, color: '#888' }}>
                  {i.guarantors_without_phone
                    .map((g) => `${g.name} (${toPersianDigits(g.facility_no)})`)
                    .join('، ')}
                </div>
              )}
            </>
          ),
        },
      ]}
    />
  );
}
