import { Link } from 'react-router-dom';
import { DataTable } from '../../components';
import { LOAN_TYPES_API, type CodeTitle } from './types';

export default function LoanTypeList() {
  return (
    <DataTable<CodeTitle>
      base={LOAN_TYPES_API}
      exportName="loan-types.xlsx"
      defaultSort={{ sort: 'code', order: 'asc' }}
      columns={[
        { key: 'code', title: 'کد نوع وام', width: 160 },
        { key: 'title', title: 'عنوان نوع وام' },
        {
          key: 'rules',
          title: 'پارامترها',
          sortable: false,
          width: 240,
          render: (t) => <Link to={`/loan-types/${t.id}/rules`}>پارامترهای طبقه‌بندی و وجه التزام</Link>,
        },
      ]}
    />
  );
}
