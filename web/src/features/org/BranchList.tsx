import { DataTable, RemoteSelect } from '../../components';
import { formatCodeName } from '../../lib/format';
import { BRANCHES_API, PROVINCES_API, type Branch } from './types';

export default function BranchList() {
  return (
    <DataTable<Branch>
      base={BRANCHES_API}
      exportName="branches.xlsx"
      defaultSort={{ sort: 'code', order: 'asc' }}
      filters={[
        {
          name: 'province_id',
          label: 'استان',
          input: <RemoteSelect base={PROVINCES_API} pageSize={500} search="local" style={{ width: 200 }} />,
        },
      ]}
      columns={[
        { key: 'code', title: 'کد شعبه', width: 120 },
        { key: 'name', title: 'نام شعبه' },
        {
          key: 'province_name',
          title: 'استان',
          value: (b) => formatCodeName(b.province_code, b.province_name),
        },
        {
          key: 'parent_name',
          sortKey: 'parent_code',
          title: 'شعبه مادر',
          value: (b) => formatCodeName(b.parent_code, b.parent_name),
        },
        { key: 'ip', title: 'نشانی IP', type: 'latin' },
      ]}
    />
  );
}
