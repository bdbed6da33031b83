import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import type { Holiday } from '@vosul/common/calendar';
import { addIsoDays, jalaliParts } from '@vosul/common/jalali';
import { CHANNELS, RECIPIENT_ROLES, type DryRunItem, type DryRunResult } from '@vosul/common/workflows';
import { JalaliDatePicker } from '../../components';
import { api, ApiError, errorMessage } from '../../lib/api';
import { DISPLAY_TIME_ZONE, formatDateTime, formatMoney, toPersianDigits } from '../../lib/format';
import { HOLIDAYS_API } from '../calendar/types';
import { WORKFLOWS_API } from './api';
import { keepEnterFromForm } from '../../lib/keyboard';

const STATUS = {
  queued: { label: 'ارسال می‌شود', color: 'green' },
  planned: { label: 'چاپ نامه', color: 'blue' },
  held: { label: 'نگه‌داشته', color: 'orange' },
} as const;

const isFriday = (iso: string) => new Date(`${iso}T00:00:00Z`).getUTCDay() === 5;

/**
 * The first day after today that is no Friday and no country-wide holiday. The holidays are read only
 * when the user may open the calendar; otherwise Fridays alone are skipped (the server plans anyway).
 */
function useNextWorkingDay(): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: DISPLAY_TIME_ZONE }).format(new Date());
  const year = jalaliParts(addIsoDays(today, 1))?.year;
  const holidays = useQuery({
    queryKey: [HOLIDAYS_API, 'year', year],
    queryFn: ({ signal }) => api.get<{ items: Holiday[] }>(HOLIDAYS_API, { year }, { signal }),
    enabled: year !== undefined,
    retry: false,
    staleTime: 5 * 60_000,
  });
  const closed = new Set(
    (holidays.data?.items ?? []).filter((h) => h.province_id === null).map((h) => h.day),
  );
  let day = addIsoDays(today, 1);
  for (let i = 0; i < 30 && (isFriday(day) || closed.has(day)); i++) day = addIsoDays(day, 1);
  return day;
}

/**
 * «اجرای آزمایشی» (B2): who the workflow as it stands in the form would contact on a date, by which
 * channel, with which words, and the cost — nothing is written. `draft` gives the form's values
 * (validated first), or null when they are not valid yet.
 */
export function DryRunPanel({
  workflowId,
  draft,
}: {
  /** the saved workflow's id; undefined for a new one */
  workflowId: string | undefined;
  draft: () => Promise<unknown>;
}) {
  const nextWorkingDay = useNextWorkingDay();
  const [date, setDate] = useState<string | null>(null);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<DryRunResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const chosen = date ?? nextWorkingDay;

  const run = async () => {
    setError(null);
    setRunning(true);
    try {
      const workflow = await draft();
      if (workflow === null) {
        setError('پیش از اجرای آزمایشی، خطاهای فرم را برطرف کنید.');
        return;
      }
      const path = workflowId ? `${WORKFLOWS_API}/${workflowId}/dry-run` : `${WORKFLOWS_API}/dry-run`;
      setResult(await api.post<DryRunResult>(path, { date: chosen, workflow }));
    } catch (e) {
      setResult(null);
      const where = e instanceof ApiError && e.field ? ' (فرم بالا را بررسی کنید)' : '';
      setError(errorMessage(e) + where);
    } finally {
      setRunning(false);
    }
  };

  return (
    <Card size="small" title="اجرای آزمایشی" style={{ marginTop: 8 }} data-testid="dry-run">
      <Typography.Paragraph type="secondary">
        چه کسانی، با چه نوع اطلاع‌رسانی و چه متنی در این روز اطلاع‌رسانی می‌شوند و هزینه آن چقدر است؛ چیزی
        ارسال یا ثبت نمی‌شود.
      </Typography.Paragraph>
      <Space wrap onKeyDown={keepEnterFromForm}>
        <span>تاریخ:</span>
        <JalaliDatePicker
          value={chosen}
          onChange={(v) => setDate(v)}
          allowClear={false}
          aria-label="تاریخ اجرای آزمایشی"
        />
        <Button type="primary" ghost loading={running} onClick={() => void run()}>
          اجرای آزمایشی
        </Button>
      </Space>
      {error && <Alert type="error" showIcon role="alert" title={error} style={{ marginTop: 12 }} />}
      {result && <DryRunResultView result={result} />}
    </Card>
  );
}

function DryRunResultView({ result }: { result: DryRunResult }) {
  const fa = (n: number) => toPersianDigits(n);
  return (
    <div style={{ marginTop: 12 }}>
      <Descriptions size="small" column={{ xs: 1, sm: 3 }} bordered data-testid="dry-run-summary">
        <Descriptions.Item label="ارسال‌ها">{fa(result.count)}</Descriptions.Item>
        <Descriptions.Item label="نگه‌داشته">{fa(result.held)}</Descriptions.Item>
        <Descriptions.Item label="هزینه">{`${formatMoney(result.cost)} ریال`}</Descriptions.Item>
        <Descriptions.Item label="بخش‌های پیامک">{fa(result.sms_parts)}</Descriptions.Item>
        <Descriptions.Item label="تماس‌ها">{fa(result.calls)}</Descriptions.Item>
      </Descriptions>
      <Table<DryRunItem & { key: number }>
        size="small"
        style={{ marginTop: 12 }}
        scroll={{ x: true }}
        dataSource={result.items.map((item, key) => ({ ...item, key }))}
        pagination={{ pageSize: 10, showSizeChanger: false, hideOnSinglePage: true }}
        locale={{ emptyText: 'در این روز کسی اطلاع‌رسانی نمی‌شود.' }}
        columns={[
          {
            title: 'شماره تسهیلات',
            render: (_v, i) =>
              toPersianDigits((i.facility_nos.length ? i.facility_nos : [i.facility_no]).join('، ')),
          },
          {
            title: 'گیرنده',
            render: (_v, i) => `${toPersianDigits(i.recipient_name)} (${RECIPIENT_ROLES[i.recipient_role]})`,
          },
          {
            title: 'نشانی',
            // an e-mail address stays as written; numbers in Persian digits
            render: (_v, i) => (
              <span className="vosul-ltr-text">
                {i.address.includes('@') ? i.address : toPersianDigits(i.address)}
              </span>
            ),
          },
          { title: 'نوع', render: (_v, i) => CHANNELS[i.channel] },
          { title: 'زمان', render: (_v, i) => formatDateTime(i.scheduled_at) },
          {
            title: 'متن',
            // in Persian digits, as the notification report shows texts
            render: (_v, i) => (
              <div style={{ whiteSpace: 'pre-wrap', minWidth: 240 }}>{toPersianDigits(i.text)}</div>
            ),
          },
          {
            title: 'وضعیت',
            render: (_v, i) => (
              <>
                <Tag color={STATUS[i.status].color}>{STATUS[i.status].label}</Tag>
                {i.held_reason && <Typography.Text type="secondary">{i.held_reason}</Typography.Text>}
              </>
            ),
          },
        ]}
      />
    </div>
  );
}
