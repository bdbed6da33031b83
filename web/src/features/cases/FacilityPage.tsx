import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Space, Spin, Table, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { ClassChange } from '@vosul/common/day-runs';
import { CBI_CLASSES, FACILITY_STATUSES, type CbiClass } from '@vosul/common/cases-labels';
import { useCanOpen } from '../../app/auth';
import { api, errorMessage } from '../../lib/api';
import { FacilityNotifications } from '../notifications/FacilityNotifications';
import { formatCodeName, formatJalaliDate, formatMoney, toPersianDigits } from '../../lib/format';
import {
  CASES_PATH,
  facilitiesPath,
  facilityApi,
  type Facility,
  type Guarantor,
  type Installment,
} from './types';

const CLASS_COLORS: Record<CbiClass, string> = {
  current: 'green',
  past_due: 'gold',
  deferred: 'orange',
  doubtful: 'red',
};

// an overdue installment's row is tinted; antd paints the cells, so the cells are coloured
const OVERDUE_ROW_STYLE = `.vosul-overdue-row > td { background: #fff1f0 !important; }`;

const EMPTY = <span style={{ color: '#a0aab0' }}>—</span>;

function ClassTag({ value }: { value: CbiClass | null }) {
  if (!value) return EMPTY;
  return (
    <Tag color={CLASS_COLORS[value]} data-testid="cbi-class">
      {CBI_CLASSES[value]}
    </Tag>
  );
}

const isOverdue = (i: Installment) => Number(i.unpaid_amount) > 0 && (i.days_late ?? 0) > 0;
const money = (v: string | null) => (v === null ? EMPTY : formatMoney(v));
const count = (v: number | null) => (v === null ? EMPTY : toPersianDigits(v));

/** A sub-list of the facility (installments, class history, guarantors) from its own endpoint. */
function useItems<T>(facilityNo: string, part: string) {
  return useQuery({
    queryKey: ['facility', facilityNo, part],
    queryFn: ({ signal }) =>
      api.get<{ items: T[] }>(`${facilityApi(facilityNo)}/${part}`, undefined, { signal }),
  });
}

function Section({ title, error, children }: { title: string; error: unknown; children: ReactNode }) {
  return (
    <Card variant="borderless" title={title} styles={{ body: { padding: 16 } }}>
      {error ? <Alert type="error" showIcon title={errorMessage(error)} role="alert" /> : children}
    </Card>
  );
}

/**
 * One facility (issue 4, point 5): its figures as of the last daily run, its class history, its
 * installments with days late and penalty, and its guarantors. Opened from the active and overdue cases.
 */
export default function FacilityPage() {
  const facilityNo = useParams().facilityNo ?? '';
  const canOpen = useCanOpen();
  const record = useQuery({
    queryKey: ['facility', facilityNo, 'record'],
    queryFn: ({ signal }) => api.get<Facility>(facilityApi(facilityNo), undefined, { signal }),
  });
  const installments = useItems<Installment>(facilityNo, 'installments');
  const changes = useItems<ClassChange>(facilityNo, 'class-changes');
  const guarantors = useItems<Guarantor>(facilityNo, 'guarantors');

  if (record.error) return <Alert type="error" showIcon title={errorMessage(record.error)} role="alert" />;
  const f = record.data;
  if (!f) return <Spin style={{ display: 'block', margin: 48 }} />;
  const caseOpen = canOpen('active_cases');

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <style>{OVERDUE_ROW_STYLE}</style>
      <Card variant="borderless" styles={{ body: { padding: 20 } }}>
        <Typography.Title level={2} className="vosul-page-title" style={{ fontSize: 20 }}>
          تسهیلات <span className="vosul-ltr-text">{f.facility_no}</span>
        </Typography.Title>
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 3 }}
          bordered
          styles={{ label: { whiteSpace: 'nowrap' } }}
          items={[
            {
              key: '0',
              label: 'گیرنده تسهیلات',
              children: (
                <>
                  {caseOpen ? (
                    <Link to={`${CASES_PATH}/${f.customer_id}`}>{toPersianDigits(f.customer_name)}</Link>
                  ) : (
                    toPersianDigits(f.customer_name)
                  )}{' '}
                  (مشتری {toPersianDigits(f.customer_no)})
                  {caseOpen && (
                    <>
                      {' — '}
                      <Link to={facilitiesPath(f.customer_id)}>همه تسهیلات مشتری</Link>
                    </>
                  )}
                </>
              ),
            },
            { key: '1', label: 'شعبه', children: formatCodeName(f.branch_code, f.branch_name) },
            { key: '2', label: 'نوع وام', children: formatCodeName(f.loan_type_code, f.loan_type_title) },
            {
              key: '3',
              label: 'وضعیت',
              children: FACILITY_STATUSES[f.status as keyof typeof FACILITY_STATUSES] ?? f.status,
            },
            { key: '4', label: 'تاریخ وام', children: formatJalaliDate(f.granted_on) },
            { key: '5', label: 'مبلغ (ریال)', children: formatMoney(f.principal) },
          ]}
        />
      </Card>

      <Card
        variant="borderless"
        title="ارقام تسهیلات"
        extra={
          <span data-testid="figures-as-of">
            {f.as_of ? `بر اساس اجرای روز ${formatJalaliDate(f.as_of)}` : 'هنوز محاسبه نشده'}
          </span>
        }
        styles={{ body: { padding: 16 } }}
      >
        <Descriptions
          size="small"
          column={{ xs: 1, md: 2, xl: 4 }}
          bordered
          styles={{ label: { whiteSpace: 'nowrap' } }}
          items={[
            { key: '0', label: 'روزهای معوق', children: count(f.overdue_days) },
            { key: '1', label: 'اقساط معوق', children: count(f.overdue_installments) },
            { key: '2', label: 'مبلغ معوق (ریال)', children: money(f.overdue_amount) },
            { key: '3', label: 'مانده پرداخت‌نشده (ریال)', children: money(f.unpaid_amount) },
            { key: '4', label: 'جریمه (ریال)', children: money(f.penalty) },
            { key: '5', label: 'مبلغ قابل وصول (ریال)', children: money(f.collectible_amount) },
            {
              key: '6',
              label: 'طبقه',
              children: (
                <>
                  {f.as_of && !f.cbi_class ? FACILITY_STATUSES.written_off : <ClassTag value={f.cbi_class} />}
                </>
              ),
            },
          ]}
        />
      </Card>

      <Section title="اقساط" error={installments.error}>
        <Table<Installment>
          rowKey="id"
          size="small"
          bordered
          pagination={false}
          scroll={{ x: 'max-content' }}
          loading={installments.isFetching}
          dataSource={installments.data?.items ?? []}
          rowClassName={(i) => (isOverdue(i) ? 'vosul-overdue-row' : '')}
          locale={{ emptyText: installments.isPending ? ' ' : 'قسطی ثبت نشده است' }}
          columns={[
            { key: 'seq', title: 'قسط', render: (_, i) => toPersianDigits(i.seq) },
            { key: 'due_on', title: 'سررسید', render: (_, i) => formatJalaliDate(i.due_on) },
            { key: 'amount', title: 'مبلغ (ریال)', render: (_, i) => formatMoney(i.amount) },
            { key: 'paid', title: 'پرداخت‌شده (ریال)', render: (_, i) => formatMoney(i.paid_amount) },
            { key: 'unpaid', title: 'مانده (ریال)', render: (_, i) => formatMoney(i.unpaid_amount) },
            {
              key: 'paid_on',
              title: 'تاریخ تسویه',
              render: (_, i) => (i.paid_on ? formatJalaliDate(i.paid_on) : EMPTY),
            },
            { key: 'days_late', title: 'روز تأخیر', render: (_, i) => count(i.days_late) },
            { key: 'penalty', title: 'جریمه (ریال)', render: (_, i) => money(i.penalty) },
          ]}
        />
      </Section>

      <Section title="تاریخچه طبقه" error={changes.error}>
        <Table<ClassChange>
          rowKey={(c) => `${c.business_date}:${c.to_class}`}
          size="small"
          bordered
          pagination={false}
          loading={changes.isFetching}
          dataSource={changes.data?.items ?? []}
          locale={{ emptyText: changes.isPending ? ' ' : 'تغییر طبقه‌ای ثبت نشده است' }}
          columns={[
            { key: 'date', title: 'تاریخ', render: (_, c) => formatJalaliDate(c.business_date) },
            {
              key: 'change',
              title: 'تغییر طبقه',
              render: (_, c) => (
                <Space size={4}>
                  {c.from_class ? <ClassTag value={c.from_class} /> : <Tag>بدون طبقه</Tag>}
                  <span aria-hidden>←</span>
                  <ClassTag value={c.to_class} />
                </Space>
              ),
            },
            { key: 'overdue_days', title: 'روزهای معوق', render: (_, c) => toPersianDigits(c.overdue_days) },
          ]}
        />
      </Section>

      <Section title="ضامن‌ها" error={guarantors.error}>
        <Table<Guarantor>
          rowKey="id"
          size="small"
          bordered
          pagination={false}
          loading={guarantors.isFetching}
          dataSource={guarantors.data?.items ?? []}
          locale={{ emptyText: guarantors.isPending ? ' ' : 'ضامنی ثبت نشده است' }}
          columns={[
            {
              key: 'customer_no',
              title: 'شماره مشتری',
              render: (_, g) => (g.customer_no ? toPersianDigits(g.customer_no) : EMPTY),
            },
            { key: 'name', title: 'نام و نام خانوادگی', render: (_, g) => toPersianDigits(g.full_name) },
            {
              key: 'national_id',
              title: 'کد ملی',
              render: (_, g) => (g.national_id ? toPersianDigits(g.national_id) : EMPTY),
            },
            {
              key: 'mobile',
              title: 'تلفن همراه',
              render: (_, g) => (g.mobile ? toPersianDigits(g.mobile) : <Tag color="red">ندارد</Tag>),
            },
            {
              key: 'address',
              title: 'نشانی',
              render: (_, g) => (g.address ? toPersianDigits(g.address) : EMPTY),
            },
          ]}
        />
      </Section>

      {canOpen('notification_report') && <FacilityNotifications facilityNo={f.facility_no} />}
    </Space>
  );
}
