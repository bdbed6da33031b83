import { useQuery } from '@tanstack/react-query';
import { Select } from 'antd';
import { useMemo } from 'react';
import { api } from '../../lib/api';
import { GROUPS_API, type Group } from './types';

interface Props {
  value?: number[];
  onChange?: (value: number[]) => void;
  /** Groups the user already holds (shown even when the editor may not grant them). */
  current?: readonly { id: number; title: string }[];
  id?: string;
}

/** «گروه‌های دسترسی»: a multi-select of the groups the signed-in user may grant (no escalation). */
export function GroupsSelect({ value, onChange, current, id }: Props) {
  const groups = useQuery({
    queryKey: [GROUPS_API, 'grantable'],
    queryFn: ({ signal }) =>
      api.get<{ items: Group[] }>(GROUPS_API, { grantable: true, page_size: 500, sort: 'title' }, { signal }),
    staleTime: 60_000,
  });
  const options = useMemo(() => {
    const list = (groups.data?.items ?? []).map((g) => ({ value: g.id, label: g.title }));
    for (const g of current ?? []) {
      if (!list.some((o) => o.value === g.id)) list.push({ value: g.id, label: g.title });
    }
    return list;
  }, [groups.data, current]);

  return (
    <Select<number[]>
      id={id}
      mode="multiple"
      allowClear
      placeholder="یک یا چند گروه انتخاب کنید"
      loading={groups.isFetching}
      options={options}
      value={value ?? []}
      onChange={(next) => onChange?.(next)}
      showSearch={{ optionFilterProp: 'label' }}
      notFoundContent={groups.isFetching ? 'در حال بارگذاری…' : 'گروهی یافت نشد'}
    />
  );
}
