import { DataTable, RemoteSelect } from '../../components';
import { BRANCHES_API, PROVINCES_API, type Branch } from './types';

const codeAndName = (code: string | null, name: string | null) => (code ? `${code} - ${name ?? ''}` : null);

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
          value: (b) => codeAndName(b.province_code, b.province_name),
        },
        { key: 'parent_name', title: 'شعبه مادر', value: (b) => codeAndName(b.parent_code, b.parent_name) },
        { key: 'ip', title: 'نشانی IP', type: 'latin' },
      ]}
    />
  );
}
