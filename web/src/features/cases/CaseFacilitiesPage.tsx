import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Drawer, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { CBI_CLASSES, FACILITY_STATUSES } from '@vosul/common/cases-labels';
import { DataTable } from '../../components';
import { api, errorMessage } from '../../lib/api';
import { formatCodeName, formatJalaliDate, formatMoney, toPersianDigits } from '../../lib/format';
import {
  CASES_API,
  CASES_PATH,
  facilityApi,
  facilityPath,
  type Case,
  type Facility,
  type Guarantor,
  type Installment,
} from './types';

const label = (labels: Record<string, string>, key: string | null) => (key ? (labels[key] ?? key) : null);

/** V17: the guarantors of one facility (customer number, name, mobile, address). */
function GuarantorsDrawer({ facility, onClose }: { facility: Facility | null; onClose: () => void }) {
  const list = useQuery({
    queryKey: ['facility-guarantors', facility?.facility_no],
    queryFn: ({ signal }) =>
      api.get<{ items: Guarantor[] }>(`${facilityApi(facility!.facility_no)}/guarantors`, undefined, {
        signal,
      }),
    enabled: !!facility,
  });
  return (
    <Drawer
      open={!!facility}
      onClose={onClose}
      placement="left"
      size="large"
      title={facility ? `ضامن‌های تسهیلات ${toPersianDigits(facility.facility_no)}` : ''}
    >
      {list.error && <Alert type="error" title={errorMessage(list.error)} role="alert" />}
      <Table<Guarantor>
        rowKey="id"
        size="small"
        bordered
        pagination={false}
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: list.isPending ? ' ' : 'ضامنی ثبت نشده است' }}
        columns={[
          {
            key: 'customer_no',
            title: 'شماره مشتری',
            render: (_, g) => (g.customer_no ? toPersianDigits(g.customer_no) : '—'),
          },
          { key: 'name', title: 'نام و نام خانوادگی', render: (_, g) => g.full_name },
          {
            key: 'mobile',
            title: 'تلفن همراه',
            render: (_, g) => (g.mobile ? toPersianDigits(g.mobile) : <Tag color="red">ندارد</Tag>),
          },
          {
            key: 'address',
            title: 'نشانی',
            render: (_, g) => (g.address ? toPersianDigits(g.address) : '—'),
          },
        ]}
      />
    </Drawer>
  );
}

/** The installments of one facility: due date (Jalali), amount, paid, unpaid. */
function InstallmentsDrawer({ facility, onClose }: { facility: Facility | null; onClose: () => void }) {
  const list = useQuery({
    queryKey: ['facility-installments', facility?.facility_no],
    queryFn: ({ signal }) =>
      api.get<{ items: Installment[] }>(`${facilityApi(facility!.facility_no)}/installments`, undefined, {
        signal,
      }),
    enabled: !!facility,
  });
  return (
    <Drawer
      open={!!facility}
      onClose={onClose}
      placement="left"
      size="large"
      title={facility ? `اقساط تسهیلات ${toPersianDigits(facility.facility_no)}` : ''}
    >
      {list.error && <Alert type="error" title={errorMessage(list.error)} role="alert" />}
      <Table<Installment>
        rowKey="id"
        size="small"
        bordered
        pagination={false}
        loading={list.isFetching}
        dataSource={list.data?.items ?? []}
        locale={{ emptyText: list.isPending ? ' ' : 'قسطی ثبت نشده است' }}
        columns={[
          { key: 'seq', title: 'قسط', render: (_, i) => toPersianDigits(i.seq) },
          { key: 'due_on', title: 'سررسید', render: (_, i) => formatJalaliDate(i.due_on) },
          { key: 'amount', title: 'مبلغ (ریال)', render: (_, i) => formatMoney(i.amount) },
          { key: 'paid_amount', title: 'پرداخت‌شده (ریال)', render: (_, i) => formatMoney(i.paid_amount) },
          { key: 'unpaid_amount', title: 'مانده (ریال)', render: (_, i) => formatMoney(i.unpaid_amount) },
          {
            key: 'paid_on',
            title: 'تاریخ تسویه',
            render: (_, i) => (i.paid_on ? formatJalaliDate(i.paid_on) : '—'),
          },
        ]}
      />
    </Drawer>
  );
}

/** V16: the facilities of a case with their figures as of the last daily run, and each one's guarantors. */
export default function CaseFacilitiesPage() {
  const { id } = useParams();
  const [guarantorsOf, setGuarantorsOf] = useState<Facility | null>(null);
  const [installmentsOf, setInstallmentsOf] = useState<Facility | null>(null);
  const record = useQuery({
    queryKey: [CASES_API, 'record', String(id)],
    queryFn: ({ signal }) => api.get<Case>(`${CASES_API}/${id}`, undefined, { signal }),
  });
  if (record.error) {
    return <Alert type="error" showIcon title={errorMessage(record.error)} role="alert" />;
  }
  const c = record.data;
  const name = c ? `${c.first_name ?? ''} ${c.last_name}`.trim() : '';
  return (
    <>
      <DataTable<Facility>
        base={`${CASES_API}/${id}/facilities`}
        title={c ? `تسهیلات ${name} (مشتری ${toPersianDigits(c.customer_no)})` : 'تسهیلات'}
        createPath={null}
        editPath={null}
        deletable={false}
        exportable={false}
        defaultSort={{ sort: 'granted_on', order: 'desc' }}
        toolbar={
          <Link to={CASES_PATH}>
            <Button>بازگشت به پرونده‌ها</Button>
          </Link>
        }
        header={
          c && (
            <Typography.Paragraph type="secondary">
              شعبه: {formatCodeName(c.branch_code, c.branch_name)} — تلفن همراه:{' '}
              {c.mobile ? toPersianDigits(c.mobile) : 'ندارد'} —{' '}
              <Link to={`${CASES_PATH}/${c.id}`}>ویرایش پرونده</Link>
            </Typography.Paragraph>
          )
        }
        columns={[
          {
            key: 'facility_no',
            title: 'شماره تسهیلات',
            render: (f) => (
              <Link to={facilityPath(f.facility_no)} className="vosul-ltr-text">
                {f.facility_no}
              </Link>
            ),
          },
          { key: 'granted_on', title: 'تاریخ وام', type: 'date' },
          {
            key: 'loan_type_title',
            title: 'نوع وام',
            value: (f) => formatCodeName(f.loan_type_code, f.loan_type_title),
          },
          { key: 'principal', title: 'مبلغ (ریال)', type: 'money' },
          { key: 'status', title: 'وضعیت', value: (f) => label(FACILITY_STATUSES, f.status) },
          { key: 'overdue_days', title: 'روزهای معوق', type: 'number' },
          { key: 'overdue_installments', title: 'اقساط معوق', type: 'number' },
          { key: 'overdue_amount', title: 'مبلغ معوق (ریال)', type: 'money' },
          { key: 'cbi_class', title: 'طبقه', value: (f) => label(CBI_CLASSES, f.cbi_class) },
          {
            key: 'installments',
            title: 'اقساط',
            sortable: false,
            align: 'center',
            render: (f) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setInstallmentsOf(f)}>
                اقساط
              </Button>
            ),
          },
          {
            key: 'guarantors',
            title: 'ضامن‌ها',
            sortable: false,
            align: 'center',
            render: (f) => (
              <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setGuarantorsOf(f)}>
                ضامن‌ها ({toPersianDigits(f.guarantor_count)})
              </Button>
            ),
          },
        ]}
      />
      <GuarantorsDrawer facility={guarantorsOf} onClose={() => setGuarantorsOf(null)} />
      <InstallmentsDrawer facility={installmentsOf} onClose={() => setInstallmentsOf(null)} />
    </>
  );
}
