import { DataTable } from '../../components';
import { DEPOSIT_TYPES_API, type CodeTitle } from './types';

export default function DepositTypeList() {
  return (
    <DataTable<CodeTitle>
      base={DEPOSIT_TYPES_API}
      exportName="deposit-types.xlsx"
      defaultSort={{ sort: 'code', order: 'asc' }}
      columns={[
        { key: 'code', title: 'کد نوع سپرده', width: 160 },
        { key: 'title', title: 'عنوان نوع سپرده' },
      ]}
    />
  );
}
