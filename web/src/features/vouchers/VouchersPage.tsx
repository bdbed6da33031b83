import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Table, Tooltip } from 'antd';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { CBI_CLASSES } from '@vosul/common/cases-labels';
import { VOUCHER_KIND_LABELS, type Voucher } from '@vosul/common/day-runs';
import { DataTable, JalaliDatePicker, JalaliRangePicker, TextInput } from '../../components';
import { api, errorMessage } from '../../lib/api';
import { formatMoney } from '../../lib/format';

const VOUCHERS_API = '/api/v1/vouchers';

type Line = Voucher['lines'][number];

/** The lines of one voucher: head, class, debit, credit (a zero side is left blank). */
function VoucherLines({ voucher }: { voucher: Voucher }) {
  const side = (v: string) => (Number(v) === 0 ? '' : formatMoney(v));
  return (
    <Table<Line>
      rowKey={(_, i) => String(i)}
      size="small"
      bordered
      pagination={false}
      dataSource={voucher.lines}
      data-testid="voucher-lines"
      columns={[
        {
          key: 'head',
          title: 'سرفصل',
          render: (_, l) => <span className="vosul-ltr-text">{l.head}</span>,
        },
        { key: 'class', title: 'طبقه', render: (_, l) => CBI_CLASSES[l.class] },
        { key: 'debit', title: 'بدهکار (ریال)', align: 'end', render: (_, l) => side(l.debit) },
        { key: 'credit', title: 'بستانکار (ریال)', align: 'end', render: (_, l) => side(l.credit) },
      ]}
    />
  );
}

/**
 * P7: the classification vouchers the daily run issued, filtered by facility and date, with the Excel
 * export and the CSV the core banking system posts (which marks the vouchers exported).
 */
export default function VouchersPage() {
  const client = useQueryClient();
  const { message } = App.useApp();
  const [search] = useSearchParams();
  const [exporting, setExporting] = useState(false);

  const onCsv = async () => {
    setExporting(true);
    try {
      // the same filters as the list (they live in the address)
      const filters = Object.fromEntries(
        ['facility_no', 'date', 'from', 'to'].map((k) => [k, search.get(k) ?? undefined]),
      );
      await api.download(`${VOUCHERS_API}/export.csv`, filters, 'vouchers.csv');
      // the list shows the new «صادرشده» marks
      await client.invalidateQueries({ queryKey: [VOUCHERS_API] });
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setExporting(false);
    }
  };

  return (
    <DataTable<Voucher>
      base={VOUCHERS_API}
      createPath={null}
      editPath={null}
      deletable={false}
      searchable={false}
      exportName="vouchers.xlsx"
      toolbar={
        <Tooltip title="فایل CSV برای ثبت در سامانه متمرکز (کربنکینگ)؛ سندهای این فایل «صادرشده برای کربنکینگ» علامت می‌خورند.">
          <Button onClick={() => void onCsv()} loading={exporting}>
            خروجی CSV برای کربنکینگ
          </Button>
        </Tooltip>
      }
      filters={[
        {
          name: 'facility_no',
          label: 'شماره تسهیلات',
          input: <TextInput allowClear style={{ width: 200 }} />,
        },
        { name: 'date', label: 'تاریخ سند', input: <JalaliDatePicker allowClear /> },
        { name: 'dates', label: 'بازه تاریخ', range: ['from', 'to'], input: <JalaliRangePicker /> },
      ]}
      columns={[
        { key: 'id', title: 'شماره سند', type: 'number', sortable: false },
        { key: 'date', title: 'تاریخ', type: 'date', sortable: false },
        { key: 'facility_no', title: 'شماره تسهیلات', type: 'latin', sortable: false },
        { key: 'branch_code', title: 'کد شعبه', type: 'number', sortable: false },
        {
          key: 'kind',
          title: 'نوع سند',
          sortable: false,
          value: (v) => VOUCHER_KIND_LABELS[v.kind],
        },
        {
          key: 'lines',
          title: 'سطرهای سند',
          sortable: false,
          render: (v) => <VoucherLines voucher={v} />,
        },
        { key: 'exported_at', title: 'صادرشده برای کربنکینگ', type: 'datetime', sortable: false },
      ]}
    />
  );
}
