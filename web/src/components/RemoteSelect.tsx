import { useQuery } from '@tanstack/react-query';
import { Select, type SelectProps } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { normalizeText } from '@vosul/common/text';
import { api, type QueryParams } from '../lib/api';
import { formatCodeName } from '../lib/format';
import { asText } from '../lib/text';

export interface RemoteOption {
  value: number | string;
  label: string;
}

export interface RemoteSelectProps<T> extends Omit<
  SelectProps<number | string | null>,
  'options' | 'onSearch' | 'showSearch' | 'filterOption' | 'value' | 'onChange'
> {
  /** A list endpoint answering `{items, total}`, e.g. `/api/v1/provinces`. */
  base: string;
  /** The option of an item; default `{value: id, label: "code - name|title"}` in Persian digits. */
  toOption?: (item: T) => RemoteOption;
  value?: number | string | null;
  onChange?: (value: number | string | null, item: T | undefined) => void;
  /** Fixed query params sent with every request (e.g. `{province_id: 3}`). */
  params?: QueryParams;
  /** Items fetched per request (default 50). With `local` search use e.g. 500 to load all. */
  pageSize?: number;
  /** `server` (default) sends the typed text as `q`; `local` loads once and filters in the browser. */
  search?: 'server' | 'local';
  /** The label of the current value when it may not be in the first page (edit forms). */
  initialOption?: RemoteOption | null;
  /** Item ids not offered (e.g. a branch as its own parent). */
  exclude?: readonly (number | string)[];
}

interface Identified {
  id: number | string;
  code?: string;
  name?: string;
  title?: string;
}

function defaultOption(item: Identified): RemoteOption {
  const name = item.name ?? item.title ?? '';
  return { value: item.id, label: formatCodeName(item.code, name) ?? '' };
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}

/**
 * A select whose options come from a list endpoint, searchable by typing (any digits, ي/ك too).
 * Value is the item's id; `onChange` also hands over the chosen item.
 */
export function RemoteSelect<T extends object = Identified>({
  base,
  toOption,
  value,
  onChange,
  params,
  pageSize = 50,
  search = 'server',
  initialOption,
  exclude,
  allowClear = true,
  placeholder = 'انتخاب کنید',
  ...rest
}: RemoteSelectProps<T>) {
  const [typed, setTyped] = useState('');
  const q = useDebounced(search === 'server' ? normalizeText(typed) : '', 300);
  const query = useQuery({
    queryKey: [base, 'options', { ...params, q, page_size: pageSize }],
    queryFn: ({ signal }) =>
      api.get<{ items: T[]; total: number }>(
        base,
        { ...params, q, page: 1, page_size: pageSize },
        { signal },
      ),
    staleTime: 60_000,
  });
  const map = toOption ?? (defaultOption as unknown as (item: T) => RemoteOption);
  const items = useMemo(() => query.data?.items ?? [], [query.data]);
  const options = useMemo(() => {
    const list = items.map(map).filter((o) => !exclude?.includes(o.value));
    if (
      initialOption &&
      value === initialOption.value &&
      !list.some((o) => o.value === initialOption.value)
    ) {
      list.unshift(initialOption);
    }
    return list;
  }, [items, map, exclude, initialOption, value]);

  return (
    <Select<number | string | null>
      {...rest}
      showSearch={{
        filterOption:
          search === 'local'
            ? (input, option) => normalizeText(asText(option?.label)).includes(normalizeText(input))
            : false,
        onSearch: setTyped,
      }}
      allowClear={allowClear}
      placeholder={placeholder}
      loading={query.isFetching}
      notFoundContent={query.isFetching ? 'در حال جستجو…' : 'موردی یافت نشد'}
      options={options}
      value={value ?? null}
      onChange={(next) => {
        setTyped('');
        const item = items.find((i) => map(i).value === next);
        onChange?.(next ?? null, item);
      }}
    />
  );
}
