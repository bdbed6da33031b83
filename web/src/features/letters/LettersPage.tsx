import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Modal, Radio, Select, Space, Switch, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import {
  LETTER_KINDS,
  LETTER_KIND_KEYS,
  LETTER_STATUSES,
  LETTER_STATUS_KEYS,
  type Letter,
  type LetterDocument,
  type LetterKind,
  type LetterMarkResult,
  type LetterPaper,
  type LetterStatus,
  type PaperSize,
} from '@vosul/common/letters';
import { RECIPIENT_ROLES } from '@vosul/common/workflows';
import { isoFromDate } from '@vosul/common/jalali';
import { useUser } from '../../app/auth';
import { usePage } from '../../app/page';
import {
  ExportButton,
  JalaliDatePicker,
  JalaliRangePicker,
  RemoteSelect,
  type JalaliRange,
} from '../../components';
import { api, errorMessage, toQueryString } from '../../lib/api';
import { formatDateTime, formatJalaliDate, toPersianDigits } from '../../lib/format';
import { LetterSheet, PreprintedSheet } from './LetterSheet';
import { letterPrintStyles } from './printStyles';

const API = '/api/v1/letters';

interface Filters {
  kind?: LetterKind;
  status?: LetterStatus;
  range?: JalaliRange | null;
  branch_id?: number | null;
}

/**
 * The print queue (issue 6 point 6): the letters and warning notices of the user's scope; select some
 * or all, «چاپ» prints them (A4 or A5, or a warning notice on the pre-printed paper), «PDF» opens them
 * as one PDF, «ثبت چاپ» and «ثبت ابلاغ» record what happened to them.
 */
export default function LettersPage() {
  const user = useUser();
  const page = usePage();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({ status: 'planned' });
  const [paging, setPaging] = useState({ page: 1, page_size: 20 });
  const [selected, setSelected] = useState<string[]>([]);
  const [paper, setPaper] = useState<PaperSize>('A5');
  const [preprinted, setPreprinted] = useState(false);
  const [sheets, setSheets] = useState<LetterDocument[]>([]);
  const [delivering, setDelivering] = useState(false);
  const [deliveredOn, setDeliveredOn] = useState<string | null>(() => isoFromDate(new Date()));
  const [busy, setBusy] = useState(false);

  const params = {
    kind: filters.kind,
    status: filters.status,
    from: filters.range?.[0] ?? undefined,
    to: filters.range?.[1] ?? undefined,
    branch_id: filters.branch_id ?? undefined,
  };
  const list = useQuery({
    queryKey: [API, params, paging],
    queryFn: ({ signal }) =>
      api.get<{ items: Letter[]; total: number }>(API, { ...params, ...paging }, { signal }),
    placeholderData: keepPreviousData,
  });
  const settings = useQuery({
    queryKey: ['/api/v1/letters/paper'],
    queryFn: ({ signal }) => api.get<LetterPaper>('/api/v1/letters/paper', undefined, { signal }),
    enabled: preprinted,
  });
  const printPaper = preprinted && settings.data ? settings.data.preprinted_paper : paper;

  useEffect(() => setSelected([]), [filters]);

  const refresh = () => client.invalidateQueries({ queryKey: [API] });

  /** Every letter matching the filters (up to 500, the most one action takes). */
  const selectAll = async () => {
    const all = await api.get<{ items: Letter[] }>(API, { ...params, page: 1, page_size: 500 });
    setSelected(all.items.map((l) => l.id));
  };

  const onPrint = async () => {
    setBusy(true);
    try {
      const { items } = await api.get<{ items: LetterDocument[] }>(`${API}/documents`, {
        ids: selected.join(','),
      });
      flushSync(() => setSheets(items));
      window.print();
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const pdfHref = `${API}/pdf${toQueryString({ ids: selected.join(','), paper, preprinted: preprinted ? '1' : '0' })}`;

  const mark = async (path: 'printed' | 'delivered', body: object) => {
    setBusy(true);
    try {
      const result = await api.post<LetterMarkResult>(`${API}/${path}`, { ids: selected, ...body });
      const what = path === 'printed' ? 'چاپ' : 'ابلاغ';
      void message.success(
        result.unchanged > 0
          ? `${what} ${toPersianDigits(result.changed)} نامه ثبت شد؛ ${toPersianDigits(result.unchanged)} نامه از پیش ثبت شده بود.`
          : `${what} ${toPersianDigits(result.changed)} نامه ثبت شد.`,
      );
      setSelected([]);
      setDelivering(false);
      await refresh();
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const none = selected.length === 0;

  return (
    <div className="vosul-letters-page">
      <style data-testid="letters-print-styles">{letterPrintStyles(printPaper)}</style>
      <div className="vosul-letters-screen">
        <Card variant="borderless" style={{ marginBottom: 16 }}>
          <Typography.Title level={2} className="vosul-page-title" style={{ fontSize: 20 }}>
            {page?.title}
          </Typography.Title>
          <Form<Filters>
            layout="inline"
            colon={false}
            className="vosul-filters"
            initialValues={filters}
            onValuesChange={(_, all) => {
              setFilters(all);
              setPaging((p) => ({ ...p, page: 1 }));
            }}
          >
            <Form.Item name="kind" label="نوع">
              <Select
                allowClear
                aria-label="نوع"
                placeholder="همه"
                style={{ width: 140 }}
                options={LETTER_KIND_KEYS.map((k) => ({ value: k, label: LETTER_KINDS[k] }))}
              />
            </Form.Item>
            <Form.Item name="status" label="وضعیت">
              <Select
                allowClear
                aria-label="وضعیت"
                placeholder="همه"
                style={{ width: 140 }}
                options={LETTER_STATUS_KEYS.map((s) => ({ value: s, label: LETTER_STATUSES[s] }))}
              />
            </Form.Item>
            <Form.Item name="range" label="تاریخ">
              <JalaliRangePicker aria-label="تاریخ" />
            </Form.Item>
            {user.scope !== 'branch' && (
              <Form.Item name="branch_id" label="شعبه">
                <RemoteSelect
                  base={`${API}/branches`}
                  allowClear
                  placeholder="همه شعبه‌ها"
                  style={{ width: 220 }}
                  aria-label="شعبه"
                />
              </Form.Item>
            )}
          </Form>
        </Card>

        <Card variant="borderless">
          <Space wrap style={{ marginBottom: 12 }} className="vosul-toolbar">
            <Radio.Group
              value={paper}
              onChange={(e) => setPaper(e.target.value as PaperSize)}
              optionType="button"
              aria-label="اندازه کاغذ"
              disabled={preprinted}
              options={[
                { value: 'A4', label: 'A4' },
                { value: 'A5', label: 'A5' },
              ]}
            />
            <Space size={4}>
              <Switch checked={preprinted} onChange={setPreprinted} aria-label="چاپ روی کاغذ پرفراژ" />
              <span>چاپ اخطاریه روی کاغذ پرفراژ</span>
            </Space>
            <Button onClick={() => void selectAll()}>انتخاب همه</Button>
            <Button type="primary" disabled={none} loading={busy} onClick={() => void onPrint()}>
              چاپ
            </Button>
            <Button disabled={none} href={none ? undefined : pdfHref} target="_blank">
              PDF
            </Button>
            <Button disabled={none} loading={busy} onClick={() => void mark('printed', {})}>
              ثبت چاپ
            </Button>
            <Button disabled={none} onClick={() => setDelivering(true)}>
              ثبت ابلاغ
            </Button>
            <ExportButton path={`${API}/export`} query={params} fileName="letters.xlsx" />
            {!none && <span>{toPersianDigits(selected.length)} نامه انتخاب شده</span>}
          </Space>
          {list.error && <Alert type="error" showIcon title={errorMessage(list.error)} role="alert" />}
          <Table<Letter>
            rowKey="id"
            size="middle"
            loading={list.isFetching}
            dataSource={list.data?.items ?? []}
            rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
            pagination={{
              current: paging.page,
              pageSize: paging.page_size,
              total: list.data?.total ?? 0,
              showTotal: (total) => `${toPersianDigits(total)} نامه`,
              onChange: (p, s) => setPaging({ page: p, page_size: s }),
            }}
            columns={[
              { key: 'letter_no', title: 'شماره نامه', render: (_, l) => toPersianDigits(l.letter_no) },
              { key: 'kind', title: 'نوع', render: (_, l) => LETTER_KINDS[l.kind] },
              { key: 'date', title: 'تاریخ', render: (_, l) => formatJalaliDate(l.business_date) },
              { key: 'branch', title: 'شعبه', render: (_, l) => toPersianDigits(l.branch_name) },
              { key: 'role', title: 'گیرنده', render: (_, l) => RECIPIENT_ROLES[l.recipient_role] },
              { key: 'name', title: 'نام گیرنده', render: (_, l) => toPersianDigits(l.recipient_name) },
              {
                key: 'address',
                title: 'نشانی',
                ellipsis: true,
                render: (_, l) => toPersianDigits(l.address),
              },
              { key: 'status', title: 'وضعیت', render: (_, l) => LETTER_STATUSES[l.status] },
              {
                key: 'printed',
                title: 'چاپ',
                render: (_, l) =>
                  l.printed_at ? `${formatDateTime(l.printed_at)} — ${l.printed_by_name ?? ''}` : '',
              },
              { key: 'delivered', title: 'تاریخ ابلاغ', render: (_, l) => formatJalaliDate(l.delivered_on) },
              {
                key: 'pdf',
                title: '',
                render: (_, l) => (
                  <a
                    href={`${API}/pdf${toQueryString({ ids: l.id, paper })}`}
                    target="_blank"
                    rel="noreferrer"
                  >
                    PDF
                  </a>
                ),
              },
            ]}
          />
        </Card>
      </div>

      <div className="vosul-letters-print" data-testid="letters-print">
        {sheets.map((letter) =>
          preprinted && settings.data && letter.kind === 'warning_notice' ? (
            <PreprintedSheet key={letter.id} letter={letter} offsets={settings.data.preprinted} />
          ) : (
            <LetterSheet key={letter.id} letter={letter} />
          ),
        )}
      </div>

      <Modal
        title="ثبت ابلاغ"
        open={delivering}
        okText="ثبت"
        cancelText="انصراف"
        confirmLoading={busy}
        okButtonProps={{ disabled: !deliveredOn }}
        onOk={() => void mark('delivered', { delivered_on: deliveredOn })}
        onCancel={() => setDelivering(false)}
      >
        <Form layout="vertical">
          <Form.Item label="تاریخ ابلاغ" required>
            <JalaliDatePicker value={deliveredOn} onChange={setDeliveredOn} aria-label="تاریخ ابلاغ" />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
