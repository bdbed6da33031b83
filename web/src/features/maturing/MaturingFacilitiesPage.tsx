import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Switch, Typography } from 'antd';
import { endOfMonth } from 'date-fns-jalali';
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import { useSearchParams } from 'react-router-dom';
import { FACILITY_STATUSES } from '@vosul/common/cases-labels';
import { isoFromDate } from '@vosul/common/jalali';
import type { MaturingBranch, MaturingItem } from '@vosul/common/maturing';
import { useUser } from '../../app/auth';
import { usePage } from '../../app/page';
import { DataTable, JalaliDatePicker, RemoteSelect } from '../../components';
import { api } from '../../lib/api';
import { formatCodeName, formatDateTime, formatJalaliDate } from '../../lib/format';
import { PRINT_STYLES } from './printStyles';

const API = '/api/v1/maturing-facilities';
const BRANCHES_API = `${API}/branches`;

interface FilterValues {
  until?: string | null;
  branch_id?: number | null;
  include_sub_branches?: boolean;
}

/** The last day of the current Jalali month (the page's default date). */
const endOfJalaliMonth = () => isoFromDate(endOfMonth(new Date()));

/** The branch the list is for: the chosen one, or a branch user's own (the server's default). */
function useBranchLabel(branchId: number | null, ownCode: string | null): string | null {
  const query = useQuery({
    queryKey: [BRANCHES_API, 'label', branchId ?? ownCode],
    enabled: branchId !== null || ownCode !== null,
    queryFn: ({ signal }) =>
      api.get<{ items: MaturingBranch[] }>(
        BRANCHES_API,
        branchId !== null ? { id: branchId } : { q: ownCode, page_size: 50 },
        { signal },
      ),
  });
  const branch = query.data?.items.find((b) => (branchId !== null ? b.id === branchId : b.code === ownCode));
  return branch ? formatCodeName(branch.code, branch.name) : null;
}

/**
 * T6: the facilities with installments falling due from today up to a date, for a branch (with or
 * without its sub-branches); exported to Excel and printed on A4 landscape with its own heading.
 */
export default function MaturingFacilitiesPage() {
  const user = useUser();
  const page = usePage();
  const [search, setSearch] = useSearchParams();
  const [form] = Form.useForm<FilterValues>();
  const [printedAt, setPrintedAt] = useState(() => new Date());

  const until = search.get('until') ?? endOfJalaliMonth();
  const branchParam = Number(search.get('branch_id'));
  const branchId = branchParam > 0 ? branchParam : null;
  const withSubs = search.get('include_sub_branches') === 'true';
  const branchLabel = useBranchLabel(branchId, user.scope === 'branch' ? user.branch_code : null);
  // HQ and province users choose a branch; a branch user's list is its own branch's by default.
  const needsBranch = branchId === null && user.scope !== 'branch';

  useEffect(() => {
    form.setFieldsValue({ until, branch_id: branchId, include_sub_branches: withSubs });
  }, [form, until, branchId, withSubs]);

  // Ctrl+P prints with the time of printing too, not only the «چاپ» button.
  useEffect(() => {
    const stamp = () => setPrintedAt(new Date());
    window.addEventListener('beforeprint', stamp);
    return () => window.removeEventListener('beforeprint', stamp);
  }, []);

  const onShow = (values: FilterValues) => {
    const next = new URLSearchParams(search);
    next.delete('page');
    next.set('until', values.until ?? endOfJalaliMonth());
    if (values.branch_id) next.set('branch_id', String(values.branch_id));
    else next.delete('branch_id');
    if (values.include_sub_branches) next.set('include_sub_branches', 'true');
    else next.delete('include_sub_branches');
    setSearch(next);
  };

  const onPrint = () => {
    flushSync(() => setPrintedAt(new Date()));
    window.print();
  };

  const today = isoFromDate(new Date());

  return (
    <div className="vosul-maturing-page">
      {/* Mounted with the page only, so its @page rule never applies to another screen's printing. */}
      <style data-testid="maturing-print-styles">{PRINT_STYLES}</style>

      <Card variant="borderless" className="vosul-maturing-filters" style={{ marginBottom: 16 }}>
        <Typography.Title level={2} className="vosul-page-title" style={{ fontSize: 20 }}>
          {page?.title}
        </Typography.Title>
        <Form<FilterValues>
          form={form}
          name="maturing-filters"
          layout="inline"
          colon={false}
          className="vosul-filters"
          onFinish={onShow}
        >
          <Form.Item
            name="until"
            label="سررسید تا تاریخ"
            rules={[{ required: true, message: 'تاریخ سررسید را وارد کنید' }]}
          >
            <JalaliDatePicker
              allowClear={false}
              disabledDate={(d: Date) => isoFromDate(d) < today}
              aria-label="سررسید تا تاریخ"
            />
          </Form.Item>
          <Form.Item
            name="branch_id"
            label="شعبه"
            rules={user.scope === 'branch' ? [] : [{ required: true, message: 'شعبه را انتخاب کنید' }]}
          >
            <RemoteSelect
              base={BRANCHES_API}
              placeholder={user.scope === 'branch' ? 'شعبه خودم' : 'جستجو با کد یا نام'}
              style={{ width: 240 }}
              aria-label="شعبه"
            />
          </Form.Item>
          <Form.Item name="include_sub_branches" label="با زیرشعبه‌ها" valuePropName="checked">
            <Switch aria-label="با زیرشعبه‌ها" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit">
              نمایش
            </Button>
          </Form.Item>
        </Form>
      </Card>

      <div className="vosul-print-heading" data-testid="print-heading">
        <h1>تسهیلات سررسید شونده</h1>
        <p>
          شعبه: {branchLabel ?? '—'}
          {withSubs ? ' (با زیرشعبه‌ها)' : ''} — سررسید تا تاریخ {formatJalaliDate(until)} — زمان چاپ:{' '}
          {formatDateTime(printedAt)}
        </p>
      </div>

      {needsBranch ? (
        <Alert type="info" showIcon title="شعبه و تاریخ را انتخاب کنید و «نمایش» را بزنید." />
      ) : (
        <DataTable<MaturingItem>
          base={API}
          title=""
          params={{ until, branch_id: branchId ?? undefined, include_sub_branches: withSubs }}
          exportName="maturing-facilities.xlsx"
          searchable={false}
          deletable={false}
          createPath={null}
          editPath={null}
          defaultSort={{ sort: 'next_due_on', order: 'asc' }}
          toolbar={<Button onClick={onPrint}>چاپ</Button>}
          columns={[
            { key: 'facility_no', title: 'شماره تسهیلات', type: 'latin' },
            { key: 'customer_no', title: 'شماره مشتری' },
            { key: 'customer_name', title: 'نام وام‌گیرنده' },
            {
              key: 'branch_code',
              title: 'شعبه',
              value: (f) => formatCodeName(f.branch_code, f.branch_name),
            },
            { key: 'loan_type_title', title: 'نوع وام' },
            { key: 'principal', title: 'مبلغ اصل', type: 'money', align: 'end' },
            { key: 'collectible_amount', title: 'قابل وصول', type: 'money', align: 'end' },
            { key: 'unpaid_amount', title: 'مانده پرداخت‌نشده', type: 'money', align: 'end' },
            { key: 'due_amount', title: 'سررسید در بازه', type: 'money', align: 'end' },
            { key: 'due_installments', title: 'اقساط در بازه', type: 'number', align: 'center' },
            { key: 'next_due_on', title: 'نخستین سررسید', type: 'date' },
            { key: 'status', title: 'وضعیت', value: (f) => FACILITY_STATUSES[f.status] },
            { key: 'granted_on', title: 'تاریخ تشکیل', type: 'date' },
            { key: 'currency', title: 'ارز', type: 'latin' },
            { key: 'last_due_on', title: 'آخرین قسط', type: 'date' },
          ]}
        />
      )}
    </div>
  );
}
