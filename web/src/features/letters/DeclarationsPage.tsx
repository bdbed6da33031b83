import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Form, Modal, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import {
  DECLARATION_STATES,
  DECLARATION_STATE_KEYS,
  LETTER_LABELS,
  trackingNoField,
  type Declaration,
  type DeclarationState,
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
  TextInput,
  applyFieldError,
  type JalaliRange,
} from '../../components';
import { api, errorMessage } from '../../lib/api';
import { formatJalaliDate, formatMoney, toPersianDigits } from '../../lib/format';

const API = '/api/v1/declarations';

interface Filters {
  state?: DeclarationState;
  range?: JalaliRange | null;
  branch_id?: number | null;
}

const money = (v: string | null) => (v === null ? '—' : `${formatMoney(v)} ریال`);

/** What a clerk copies into ثنا: the parties, the facility's figures and the demand's text. */
function DeclarationDetails({ d }: { d: Declaration }) {
  // shown in Persian digits; a number (national code, facility number) is copied as typed into ثنا: Latin digits
  const copy = (text: string, raw = toPersianDigits(text)) => (
    <Typography.Text copyable={{ text: raw }}>{toPersianDigits(text)}</Typography.Text>
  );
  return (
    <Descriptions size="small" column={2} bordered>
      <Descriptions.Item label="خواهان (اظهارکننده)" span={2}>
        {copy(`${d.claimant.bank_name} — ${d.claimant.branch_name} (کد ${d.claimant.branch_code})`)}
        {d.claimant.branch_address && <div>{copy(`نشانی: ${d.claimant.branch_address}`)}</div>}
      </Descriptions.Item>
      <Descriptions.Item label={`مخاطب (${RECIPIENT_ROLES[d.addressee.role]})`}>
        {copy(d.addressee.name)}
      </Descriptions.Item>
      <Descriptions.Item label="کد ملی">
        {d.addressee.national_code ? copy(d.addressee.national_code, d.addressee.national_code) : 'ثبت نشده'}
      </Descriptions.Item>
      <Descriptions.Item label="نشانی مخاطب" span={2}>
        {copy(d.addressee.address)}
      </Descriptions.Item>
      <Descriptions.Item label="شماره تسهیلات">{copy(d.facility_no, d.facility_no)}</Descriptions.Item>
      <Descriptions.Item label="مبلغ اصل">{money(d.figures.principal)}</Descriptions.Item>
      <Descriptions.Item label="مبلغ معوق">{money(d.figures.overdue_amount)}</Descriptions.Item>
      <Descriptions.Item label="وجه التزام">{money(d.figures.penalty)}</Descriptions.Item>
      <Descriptions.Item label="قابل وصول">{money(d.figures.collectible_amount)}</Descriptions.Item>
      <Descriptions.Item label="روزهای معوق">
        {d.figures.overdue_days === null ? '—' : toPersianDigits(d.figures.overdue_days)}
        {d.figures.as_of && ` (تا ${formatJalaliDate(d.figures.as_of)})`}
      </Descriptions.Item>
      <Descriptions.Item label="متن اظهارنامه (خواسته)" span={2}>
        <Typography.Paragraph copyable style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
          {toPersianDigits(d.text)}
        </Typography.Paragraph>
      </Descriptions.Item>
    </Descriptions>
  );
}

interface FileValues {
  filed_on: string | null;
  tracking_no: string;
}

/**
 * Declarations for ثنا (issue 6 point 6): the queue of declarations waiting to be filed, each one's
 * text and data ready to copy into the judiciary's electronic service, and its tracking — filed on,
 * tracking number, served on.
 */
export default function DeclarationsPage() {
  const user = useUser();
  const page = usePage();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [filters, setFilters] = useState<Filters>({ state: 'planned' });
  const [paging, setPaging] = useState({ page: 1, page_size: 20 });
  const [filing, setFiling] = useState<Declaration | null>(null);
  const [serving, setServing] = useState<Declaration | null>(null);
  const [servedOn, setServedOn] = useState<string | null>(() => isoFromDate(new Date()));
  const [fileForm] = Form.useForm<FileValues>();
  const [busy, setBusy] = useState(false);

  const params = {
    state: filters.state,
    from: filters.range?.[0] ?? undefined,
    to: filters.range?.[1] ?? undefined,
    branch_id: filters.branch_id ?? undefined,
  };
  const list = useQuery({
    queryKey: [API, params, paging],
    queryFn: ({ signal }) =>
      api.get<{ items: Declaration[]; total: number }>(API, { ...params, ...paging }, { signal }),
    placeholderData: keepPreviousData,
  });

  const send = async (path: string, body: object, done: string, onFieldError?: (e: unknown) => boolean) => {
    setBusy(true);
    try {
      await api.post(path, body);
      void message.success(done);
      setFiling(null);
      setServing(null);
      await client.invalidateQueries({ queryKey: [API] });
    } catch (e) {
      if (!onFieldError?.(e)) void message.error(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
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
          <Form.Item name="state" label="وضعیت">
            <Select
              allowClear
              aria-label="وضعیت"
              placeholder="همه"
              style={{ width: 160 }}
              options={DECLARATION_STATE_KEYS.map((s) => ({ value: s, label: DECLARATION_STATES[s] }))}
            />
          </Form.Item>
          <Form.Item name="range" label="تاریخ تهیه">
            <JalaliRangePicker aria-label="تاریخ تهیه" />
          </Form.Item>
          {user.scope !== 'branch' && (
            <Form.Item name="branch_id" label="شعبه">
              <RemoteSelect
                base="/api/v1/letters/branches"
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
          <ExportButton path={`${API}/export`} query={params} fileName="declarations.xlsx" />
        </Space>
        {list.error && <Alert type="error" showIcon title={errorMessage(list.error)} role="alert" />}
        <Table<Declaration>
          rowKey="id"
          size="middle"
          loading={list.isFetching}
          dataSource={list.data?.items ?? []}
          expandable={{ expandedRowRender: (d) => <DeclarationDetails d={d} /> }}
          pagination={{
            current: paging.page,
            pageSize: paging.page_size,
            total: list.data?.total ?? 0,
            showTotal: (total) => `${toPersianDigits(total)} اظهارنامه`,
            onChange: (p, s) => setPaging({ page: p, page_size: s }),
          }}
          columns={[
            { key: 'date', title: 'تاریخ تهیه', render: (_, d) => formatJalaliDate(d.business_date) },
            { key: 'branch', title: 'شعبه', render: (_, d) => toPersianDigits(d.claimant.branch_name) },
            { key: 'name', title: 'مخاطب', render: (_, d) => toPersianDigits(d.addressee.name) },
            {
              key: 'national_code',
              title: 'کد ملی',
              render: (_, d) => toPersianDigits(d.addressee.national_code ?? ''),
            },
            { key: 'facility', title: 'شماره تسهیلات', render: (_, d) => toPersianDigits(d.facility_no) },
            { key: 'state', title: 'وضعیت', render: (_, d) => DECLARATION_STATES[d.state] },
            { key: 'filed_on', title: 'ثبت در ثنا', render: (_, d) => formatJalaliDate(d.filed_on) },
            {
              key: 'tracking_no',
              title: 'شماره پیگیری',
              render: (_, d) => toPersianDigits(d.tracking_no ?? ''),
            },
            { key: 'served_on', title: 'تاریخ ابلاغ', render: (_, d) => formatJalaliDate(d.served_on) },
            {
              key: 'actions',
              title: '',
              render: (_, d) => (
                <Space>
                  {d.state === 'planned' && (
                    <Button
                      size="small"
                      onClick={() => {
                        fileForm.setFieldsValue({ filed_on: isoFromDate(new Date()), tracking_no: '' });
                        setFiling(d);
                      }}
                    >
                      ثبت در ثنا
                    </Button>
                  )}
                  {d.state === 'filed' && (
                    <Button size="small" onClick={() => setServing(d)}>
                      ثبت ابلاغ
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Modal
        title="ثبت اظهارنامه در ثنا"
        open={filing !== null}
        okText="ثبت"
        cancelText="انصراف"
        confirmLoading={busy}
        onOk={() => fileForm.submit()}
        onCancel={() => setFiling(null)}
      >
        <Form<FileValues>
          form={fileForm}
          layout="vertical"
          name="file-declaration"
          onFinish={(values) =>
            void send(`${API}/${filing!.id}/filed`, values, 'اظهارنامه در ثنا ثبت شد.', (e) =>
              applyFieldError(fileForm, e),
            )
          }
        >
          <Form.Item
            name="filed_on"
            label={LETTER_LABELS.filed_on}
            rules={[{ required: true, message: `${LETTER_LABELS.filed_on} را وارد کنید` }]}
          >
            <JalaliDatePicker aria-label={LETTER_LABELS.filed_on} />
          </Form.Item>
          <Form.Item
            name="tracking_no"
            label={LETTER_LABELS.tracking_no}
            rules={[
              {
                // the contract's own check (digits in any script, 6 to 20), so the clerk is told before sending
                validator: (_rule, value: unknown) => {
                  const checked = trackingNoField.safeParse(value ?? '');
                  return checked.success
                    ? Promise.resolve()
                    : Promise.reject(new Error(checked.error.issues[0]?.message));
                },
              },
            ]}
          >
            <TextInput ltr maxLength={30} aria-label={LETTER_LABELS.tracking_no} />
          </Form.Item>
        </Form>
      </Modal>

      <Modal
        title="ثبت ابلاغ اظهارنامه"
        open={serving !== null}
        okText="ثبت"
        cancelText="انصراف"
        confirmLoading={busy}
        okButtonProps={{ disabled: !servedOn }}
        onOk={() =>
          void send(`${API}/${serving!.id}/served`, { served_on: servedOn }, 'ابلاغ اظهارنامه ثبت شد.')
        }
        onCancel={() => setServing(null)}
      >
        <Form layout="vertical">
          <Form.Item label={LETTER_LABELS.served_on} required>
            <JalaliDatePicker value={servedOn} onChange={setServedOn} aria-label={LETTER_LABELS.served_on} />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
