/**
 * The list screen of the house kit: server-side paging, free-text search, extra filters, sorting by
 * column headers, multi-select delete, «جدید», Excel export, row numbers, Persian digits.
 *
 * Talks to a list endpoint `GET {base}?q&page&page_size&sort&order&…filters` → `{items, total}`,
 * `POST {base}/delete {ids}` and `GET {base}/export?…same filters`. The list state lives in the
 * address (`?q=…&page=2`), so going back from an edit page finds the list as it was.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Select, Space, Table, Typography } from 'antd';
import type { TableColumnsType, TablePaginationConfig, TableProps } from 'antd';
import { useEffect, useMemo, useState, type ReactElement, type ReactNode } from 'react';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { normalizeText, toPersianDigits } from '@vosul/common/text';
import { usePage } from '../app/page';
import { api, errorMessage, type QueryParams } from '../lib/api';
import { formatDateTime, formatJalaliDate, formatMoney } from '../lib/format';
import { asText } from '../lib/text';
import { TextInput } from './inputs';
import { RemoteSelect } from './RemoteSelect';

export type ColumnType = 'text' | 'latin' | 'number' | 'money' | 'date' | 'datetime' | 'boolean';

export interface DataColumn<T> {
  /** The item's field shown (and the `sort` value sent, unless `sortKey`). */
  key: string;
  title: string;
  /** How the value is shown; default `text` (Persian digits). `latin` keeps it as is, left to right. */
  type?: ColumnType;
  /** Computes the value from the item (then formatted by `type`), e.g. `i => \`${i.code} - ${i.name}\``. */
  value?: (item: T) => string | number | boolean | null | undefined;
  /** Renders the cell entirely (overrides `value` and `type`). */
  render?: (item: T) => ReactNode;
  /** Sortable by clicking the header (default true). */
  sortable?: boolean;
  /** The `sort` value sent for this column when it differs from `key`. */
  sortKey?: string;
  /** Makes the cell a link to the item's edit page (default: the first column). */
  link?: boolean;
  width?: number | string;
  align?: 'start' | 'center' | 'end';
  ellipsis?: boolean;
}

export interface FilterField {
  /** The query parameter (for a range: see `range`). */
  name: string;
  label: string;
  /** A form control taking `value`/`onChange`: `<TextInput/>`, `<RemoteSelect/>`, `<JalaliRangePicker/>`, … */
  input: ReactElement;
  /** The control's value is an array, sent as repeated parameters. */
  multiple?: boolean;
  /** The control's value is `[from, to]`, sent as these two parameters, e.g. `['from', 'to']`. */
  range?: readonly [string, string];
  /** The control's value is a number (an id); read back from the address as one. Default: true for `RemoteSelect`. */
  numeric?: boolean;
}

function isNumeric(f: FilterField): boolean {
  return f.numeric ?? f.input.type === RemoteSelect;
}

export interface DataTableProps<T extends { id: number | string }> {
  /** The API base, e.g. `/api/v1/provinces`. */
  base: string;
  columns: readonly DataColumn<T>[];
  /** The heading; default the page's title from the menu. */
  title?: ReactNode;
  /** The heading's level: 2 for a page's own list, lower for a list that is a section of a page. */
  titleLevel?: 2 | 3 | 4;
  /** The «جدید» target; default `{page path}/new` when the page registered a form; null hides the button. */
  createPath?: string | null;
  /** An item's edit address; default `{page path}/{id}` when the page registered a form; null: no link. */
  editPath?: ((item: T) => string) | null;
  /** Show row checkboxes and «حذف» (default true). */
  deletable?: boolean;
  /** Show «خروجی اکسل» (default true). */
  exportable?: boolean;
  /** File name offered when the server names none. */
  exportName?: string;
  /** Show the «عبارت جستجو» box (default true). */
  searchable?: boolean;
  /** What the search box looks in, when it is not plain "contains" (e.g. the start of a key). */
  searchHint?: string;
  filters?: readonly FilterField[];
  /** Fixed params sent with every request (list, export), e.g. `{ customer_id: 7 }`. */
  params?: QueryParams;
  defaultSort?: { sort: string; order: 'asc' | 'desc' };
  defaultPageSize?: number;
  /** Extra toolbar buttons (placed after «خروجی اکسل»). */
  toolbar?: ReactNode;
  /** Keep the list state in the address (default true); turn off when a screen has two tables. */
  urlState?: boolean;
  /** Confirmation text of a delete of `count` records. */
  deleteConfirm?: (count: number) => ReactNode;
  /** Per-row antd props (e.g. a row colour). */
  rowClassName?: (item: T) => string;
  /** Content above the table (inside the card), e.g. a summary. */
  header?: ReactNode;
}

const PAGE_SIZES = [10, 20, 50, 100];
const EMPTY = <span style={{ color: '#a0aab0' }}>—</span>;

function show(type: ColumnType, value: unknown): ReactNode {
  if (value === null || value === undefined || value === '') return EMPTY;
  switch (type) {
    case 'latin':
      return <span className="vosul-ltr-text">{asText(value)}</span>;
    case 'number':
      return toPersianDigits(asText(value));
    case 'money':
      return formatMoney(asText(value));
    case 'date':
      return formatJalaliDate(asText(value));
    case 'datetime':
      return formatDateTime(asText(value));
    case 'boolean':
      return value ? 'بله' : 'خیر';
    case 'text':
      return toPersianDigits(asText(value));
  }
}

/** The list state: in the address, or in memory. */
function useListParams(inUrl: boolean): [URLSearchParams, (next: URLSearchParams) => void] {
  const [urlParams, setUrlParams] = useSearchParams();
  const [local, setLocal] = useState(() => new URLSearchParams());
  if (inUrl) return [urlParams, (next) => setUrlParams(next, { replace: false })];
  return [local, setLocal];
}

function PageSizeSelect(props: {
  value: number;
  onChange: (v: number) => void;
  disabled: boolean;
  className: string;
}) {
  return (
    <Select
      className={props.className}
      disabled={props.disabled}
      value={props.value}
      onChange={props.onChange}
      aria-label="تعداد در صفحه"
      popupMatchSelectWidth={false}
      options={PAGE_SIZES.map((n) => ({ value: n, label: `${toPersianDigits(n)} در صفحه` }))}
    />
  );
}

export function DataTable<T extends { id: number | string }>(props: DataTableProps<T>) {
  const {
    base,
    columns,
    createPath,
    editPath,
    deletable = true,
    exportable = true,
    exportName = 'export.xlsx',
    searchable = true,
    searchHint,
    filters = [],
    params: fixedParams,
    defaultSort,
    defaultPageSize = 20,
    toolbar,
    urlState = true,
    deleteConfirm,
    rowClassName,
    header,
  } = props;
  const page = usePage();
  const navigate = useNavigate();
  const location = useLocation();
  // The form returns here (same search, page, sort) after «ذخیره» or «لغو».
  const returnState = { from: location.pathname + location.search };
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<Record<string, unknown>>();
  const [search, setSearch] = useListParams(urlState);
  const [selected, setSelected] = useState<(number | string)[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);

  const title = props.title ?? page?.title;
  const listPath = page?.path ?? '';
  const newPath = createPath === undefined ? (page?.hasForm ? `${listPath}/new` : null) : createPath;
  const editOf =
    editPath === undefined ? (page?.hasForm ? (item: T) => `${listPath}/${item.id}` : null) : editPath;

  // ---- state from the address ----
  const current = Math.max(1, Number(search.get('page')) || 1);
  const pageSize = Number(search.get('page_size')) || defaultPageSize;
  const sort = search.get('sort') ?? defaultSort?.sort;
  const order =
    (search.get('order') as 'asc' | 'desc' | null) ?? (search.get('sort') ? 'asc' : defaultSort?.order);
  const q = search.get('q') ?? '';
  const filterParams = useMemo(() => {
    const out: QueryParams = {};
    for (const f of filters) {
      if (f.range) {
        out[f.range[0]] = search.get(f.range[0]) ?? undefined;
        out[f.range[1]] = search.get(f.range[1]) ?? undefined;
      } else if (f.multiple) {
        const all = search.getAll(f.name);
        out[f.name] = all.length ? all : undefined;
      } else {
        out[f.name] = search.get(f.name) ?? undefined;
      }
    }
    return out;
  }, [filters, search]);

  const filterQuery: QueryParams = {
    ...fixedParams,
    ...filterParams,
    q: q || undefined,
    sort,
    order: sort ? order : undefined,
  };
  const listQuery: QueryParams = { ...filterQuery, page: current, page_size: pageSize };

  const list = useQuery({
    queryKey: [base, 'list', listQuery],
    queryFn: ({ signal }) =>
      api.get<{ items: T[]; total: number; total_capped?: boolean }>(base, listQuery, { signal }),
    placeholderData: keepPreviousData,
  });
  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;

  // Keep the search form in step with the address (back/forward, a link with ?q=): only when the
  // address changes, so a background refetch never overwrites what the user is typing.
  const searchKey = search.toString();
  useEffect(() => {
    const values: Record<string, unknown> = { q };
    for (const f of filters) {
      const read = (raw: string | null) => (raw === null ? undefined : isNumeric(f) ? Number(raw) : raw);
      if (f.range) values[f.name] = [search.get(f.range[0]), search.get(f.range[1])];
      else if (f.multiple) values[f.name] = search.getAll(f.name).map(read);
      else values[f.name] = read(search.get(f.name));
    }
    form.setFieldsValue(values);
    // `filters` and `search` are new objects on every render; the address is what matters.
  }, [form, searchKey]);

  // A page past the end (after deletes or a narrower search) moves to the last page.
  useEffect(() => {
    if (list.data && !list.isFetching && current > 1 && items.length === 0 && total > 0) {
      update({ page: String(Math.ceil(total / pageSize)) });
    }
  });

  /** Applies changes to the list state; false when nothing changed. */
  function update(changes: Record<string, string | string[] | null>): boolean {
    const next = new URLSearchParams(search);
    for (const [key, value] of Object.entries(changes)) {
      next.delete(key);
      if (Array.isArray(value)) value.forEach((v) => next.append(key, v));
      else if (value !== null && value !== '') next.set(key, value);
    }
    next.sort();
    const before = new URLSearchParams(search);
    before.sort();
    if (next.toString() === before.toString()) return false;
    setSearch(next);
    return true;
  }

  const onSearch = (values: Record<string, unknown>) => {
    const changes: Record<string, string | string[] | null> = { page: null };
    if (searchable) changes.q = normalizeText(String((values.q as string | undefined) ?? '')) || null;
    for (const f of filters) {
      const v = values[f.name];
      if (f.range) {
        const [from, to] = Array.isArray(v) ? (v as (string | null)[]) : [null, null];
        changes[f.range[0]] = from ?? null;
        changes[f.range[1]] = to ?? null;
      } else if (f.multiple) {
        changes[f.name] = Array.isArray(v) ? v.map(asText) : null;
      } else {
        changes[f.name] = v === undefined || v === null ? null : normalizeText(asText(v)) || null;
      }
    }
    setSelected([]);
    // «جستجو» with the same terms still fetches afresh.
    if (!update(changes)) void list.refetch();
  };

  const onClear = () => {
    form.resetFields();
    const changes: Record<string, null> = { q: null, page: null };
    for (const f of filters) {
      if (f.range) {
        changes[f.range[0]] = null;
        changes[f.range[1]] = null;
      } else changes[f.name] = null;
    }
    update(changes);
  };

  const onTableChange: TableProps<T>['onChange'] = (pagination, _filters, sorter, extra) => {
    if (extra.action === 'sort') {
      const s = Array.isArray(sorter) ? sorter[0] : sorter;
      const column = columns.find((c) => c.key === s?.columnKey);
      if (!s?.order || !column) update({ sort: null, order: null, page: null });
      else
        update({
          sort: column.sortKey ?? column.key,
          order: s.order === 'descend' ? 'desc' : 'asc',
          page: null,
        });
      return;
    }
    const size = pagination.pageSize ?? pageSize;
    update({
      page: size !== pageSize || (pagination.current ?? 1) === 1 ? null : String(pagination.current),
      page_size: size === defaultPageSize ? null : String(size),
    });
  };

  const onDelete = () => {
    const ids = [...selected];
    if (ids.length === 0) return;
    setError(null);
    modal.confirm({
      title: 'حذف رکوردهای انتخاب‌شده',
      content:
        deleteConfirm?.(ids.length) ??
        `${toPersianDigits(ids.length)} رکورد انتخاب‌شده حذف شود؟ این کار برگشت‌پذیر نیست.`,
      okText: 'بله',
      okButtonProps: { danger: true },
      cancelText: 'انصراف',
      onOk: async () => {
        try {
          await api.post<void>(`${base}/delete`, { ids });
          setSelected([]);
          void message.success(`${toPersianDigits(ids.length)} رکورد حذف شد.`);
        } catch (e) {
          // 409 in_use: the server names what still uses the record.
          setError(errorMessage(e));
        } finally {
          await client.invalidateQueries({ queryKey: [base] });
        }
      },
    });
  };

  const onExport = async () => {
    setError(null);
    setExporting(true);
    try {
      await api.download(`${base}/export`, filterQuery, exportName);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  const linkIndex = Math.max(
    0,
    columns.findIndex((c) => c.link),
  );
  const tableColumns: TableColumnsType<T> = [
    {
      key: '#',
      title: '#',
      width: 64,
      align: 'center',
      render: (_v, _item, index) => toPersianDigits((current - 1) * pageSize + index + 1),
    },
    ...columns.map((c, i) => {
      const sortable = c.sortable ?? true;
      const sortValue = c.sortKey ?? c.key;
      return {
        key: c.key,
        title: c.title,
        width: c.width,
        align: c.align,
        ellipsis: c.ellipsis,
        sorter: sortable,
        sortOrder:
          sortable && sort === sortValue
            ? order === 'desc'
              ? ('descend' as const)
              : ('ascend' as const)
            : null,
        render: (_: unknown, item: T) => {
          const content = c.render
            ? c.render(item)
            : show(c.type ?? 'text', c.value ? c.value(item) : (item as Record<string, unknown>)[c.key]);
          return i === linkIndex && editOf ? (
            <Link to={editOf(item)} state={returnState}>
              {content}
            </Link>
          ) : (
            content
          );
        },
      };
    }),
  ];

  const pagination: TablePaginationConfig = {
    current,
    pageSize,
    total,
    showSizeChanger: true,
    components: { sizeChanger: PageSizeSelect },
    showTotal: (t, [from, to]) =>
      t === 0
        ? ''
        : list.data?.total_capped
          ? // a broad search: only the first matches were counted
            `${toPersianDigits(from)} تا ${toPersianDigits(to)} از بیش از ${formatMoney(t)} رکورد؛ برای نتیجه دقیق‌تر جستجو را کامل‌تر کنید`
          : `${toPersianDigits(from)} تا ${toPersianDigits(to)} از ${toPersianDigits(t)} رکورد`,
    itemRender: (p, type, element) => (type === 'page' ? <a>{toPersianDigits(p)}</a> : element),
  };

  return (
    <Card variant="borderless" styles={{ body: { padding: 20 } }}>
      <div className="vosul-toolbar">
        {title && (
          <Typography.Title
            level={props.titleLevel ?? 2}
            className="vosul-page-title"
            style={{ fontSize: 20 }}
          >
            {title}
          </Typography.Title>
        )}
        <Space wrap>
          {newPath && (
            <Button type="primary" onClick={() => void navigate(newPath, { state: returnState })}>
              جدید
            </Button>
          )}
          {deletable && (
            <Button danger disabled={selected.length === 0} onClick={onDelete}>
              حذف
            </Button>
          )}
          {exportable && (
            <Button onClick={() => void onExport()} loading={exporting}>
              خروجی اکسل
            </Button>
          )}
          {toolbar}
          {selected.length > 0 && (
            <Typography.Text type="secondary" data-testid="selected-count">
              {toPersianDigits(selected.length)} رکورد انتخاب شده
            </Typography.Text>
          )}
        </Space>
      </div>

      {(searchable || filters.length > 0) && (
        <Form
          form={form}
          name={`list-${base.replace(/\W+/g, '-')}`}
          layout="inline"
          colon={false}
          className="vosul-filters"
          onFinish={onSearch}
          style={{ marginBottom: 16 }}
        >
          {searchable && (
            <Form.Item name="q" label="عبارت جستجو">
              <TextInput allowClear placeholder={searchHint} style={{ width: 240 }} />
            </Form.Item>
          )}
          {filters.map((f) => (
            <Form.Item key={f.name} name={f.name} label={f.label}>
              {f.input}
            </Form.Item>
          ))}
          <Form.Item>
            <Space>
              <Button type="primary" htmlType="submit">
                جستجو
              </Button>
              {(q || Object.values(filterParams).some((v) => v !== undefined)) && (
                <Button onClick={onClear}>پاک کردن</Button>
              )}
            </Space>
          </Form.Item>
        </Form>
      )}

      {header}

      {(error || list.error) && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setError(null) }}
          title={error ?? errorMessage(list.error)}
          style={{ marginBottom: 12 }}
          role="alert"
          data-testid="list-error"
        />
      )}

      <Table<T>
        rowKey="id"
        size="middle"
        bordered
        columns={tableColumns}
        dataSource={items}
        loading={list.isFetching}
        pagination={pagination}
        onChange={onTableChange}
        rowClassName={rowClassName}
        scroll={{ x: 'max-content' }}
        rowSelection={
          deletable
            ? {
                selectedRowKeys: selected,
                onChange: (keys) => setSelected(keys as (number | string)[]),
                preserveSelectedRowKeys: true,
              }
            : undefined
        }
        locale={{ emptyText: list.isPending ? ' ' : 'رکوردی یافت نشد' }}
      />
    </Card>
  );
}
