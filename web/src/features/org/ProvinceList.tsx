import { DataTable } from '../../components';
import { PROVINCES_API, type Province } from './types';

export default function ProvinceList() {
  return (
    <DataTable<Province>
      base={PROVINCES_API}
      exportName="provinces.xlsx"
      defaultSort={{ sort: 'code', order: 'asc' }}
      columns={[
        { key: 'code', title: 'کد استان', width: 140 },
        { key: 'name', title: 'نام استان' },
        { key: 'branch_count', title: 'تعداد شعبه', type: 'number', sortable: false, width: 140 },
      ]}
    />
  );
}
