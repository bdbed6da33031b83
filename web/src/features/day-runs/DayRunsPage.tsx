import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Form, Progress, Select, Space, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import {
  DAY_RUN_KIND_LABELS,
  DAY_RUN_SOURCE_LABELS,
  DAY_RUN_STATUS_LABELS,
  type DayRun,
  type StartDayRun,
} from '@vosul/common/day-runs';
import { DataTable, JalaliDatePicker, JalaliRangePicker } from '../../components';
import { api, errorMessage } from '../../lib/api';
import { DISPLAY_TIME_ZONE, formatJalaliDate, toPersianDigits } from '../../lib/format';

const RUNS_API = '/api/v1/day-runs';

const STATUS_COLORS: Record<DayRun['status'], string> = {
  queued: 'default',
  running: 'processing',
  succeeded: 'success',
  failed: 'error',
  refused: 'warning',
};

const statusOptions = Object.entries(DAY_RUN_STATUS_LABELS).map(([value, label]) => ({ value, label }));

const isActive = (run: DayRun | undefined) => run?.status === 'queued' || run?.status === 'running';

/** Today on the bank's clock (the server's default business date). */
const todayInTehran = () =>
  new Intl.DateTimeFormat('en-CA', { timeZone: DISPLAY_TIME_ZONE }).format(new Date());

function StatusTag({ run }: { run: DayRun }) {
  return (
    <Tag color={STATUS_COLORS[run.status]} data-testid="day-run-status">
      {DAY_RUN_STATUS_LABELS[run.status]}
    </Tag>
  );
}

/** The run being followed: its progress bar and stage while it runs, its outcome once it ends. */
function RunProgress({ run }: { run: DayRun }) {
  const date = formatJalaliDate(run.business_date);
  if (isActive(run)) {
    return (
      <div data-testid="day-run-progress">
        <Typography.Text>
          اجرای روز {date}: {run.stage ?? DAY_RUN_STATUS_LABELS[run.status]}
        </Typography.Text>
        <Progress
          percent={Math.round(run.progress * 100)}
          status="active"
          format={(p) => toPersianDigits(`${p ?? 0}٪`)}
        />
      </div>
    );
  }
  const ok = run.status === 'succeeded';
  const figures = ok
    ? `${toPersianDigits(run.facilities ?? 0)} تسهیلات، ${toPersianDigits(run.class_changes ?? 0)} تغییر طبقه، ${toPersianDigits(run.vouchers ?? 0)} سند`
    : null;
  return (
    <Alert
      type={ok ? 'success' : 'error'}
      showIcon
      data-testid="day-run-progress"
      title={
        <Space>
          <span>اجرای روز {date}:</span>
          <StatusTag run={run} />
          {run.kind && <span>({DAY_RUN_KIND_LABELS[run.kind]})</span>}
        </Space>
      }
      description={figures ?? (run.message ? toPersianDigits(run.message) : undefined)}
    />
  );
}

interface StartForm {
  date: string | null;
  opening_vouchers: boolean;
}

/**
 * Issue 4, point 1: start a run of the day (one at a time; HQ only), follow it to its end, and list
 * the runs from the page, the command line and the schedule.
 */
export default function DayRunsPage() {
  const client = useQueryClient();
  const [form] = Form.useForm<StartForm>();
  const [followed, setFollowed] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  // a run still going when the page opens (started elsewhere, or before a reload) is followed too
  const latest = useQuery({
    queryKey: [RUNS_API, 'latest'],
    queryFn: ({ signal }) =>
      api.get<{ items: DayRun[] }>(RUNS_API, { page_size: 1, sort: 'queued_at', order: 'desc' }, { signal }),
  });
  const latestRun = latest.data?.items[0];
  useEffect(() => {
    if (followed === null && latestRun && isActive(latestRun)) setFollowed(latestRun.id);
  }, [followed, latestRun]);

  const run = useQuery({
    queryKey: [RUNS_API, 'run', followed],
    queryFn: ({ signal }) => api.get<DayRun>(`${RUNS_API}/${followed}`, undefined, { signal }),
    enabled: followed !== null,
    refetchInterval: (q) => (!q.state.data || isActive(q.state.data) ? 1000 : false),
  });
  const current = run.data;
  const running = isActive(current);
  const finishedAt = current && !running ? current.id + current.status : null;
  useEffect(() => {
    // the list shows the run's outcome as soon as it ends
    if (finishedAt) void client.invalidateQueries({ queryKey: [RUNS_API, 'list'] });
  }, [client, finishedAt]);

  const onStart = async (values: StartForm) => {
    setError(null);
    setStarting(true);
    try {
      const body: StartDayRun = {
        opening_vouchers: !!values.opening_vouchers,
        ...(values.date ? { date: values.date } : {}),
      };
      const queued = await api.post<DayRun>(RUNS_API, body);
      client.setQueryData([RUNS_API, 'run', queued.id], queued);
      setFollowed(queued.id);
      void client.invalidateQueries({ queryKey: [RUNS_API, 'list'] });
    } catch (e) {
      // 409: another run has not finished; 403: only HQ users start a run — the server says which
      setError(errorMessage(e));
    } finally {
      setStarting(false);
    }
  };

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card variant="borderless" title="اجرای روز کاری" styles={{ body: { padding: 20 } }}>
        <Form<StartForm>
          form={form}
          name="day-run-start"
          layout="inline"
          colon={false}
          initialValues={{ date: todayInTehran(), opening_vouchers: false }}
          onFinish={(v) => void onStart(v)}
        >
          <Form.Item
            name="date"
            label="تاریخ روز کاری"
            rules={[{ required: true, message: 'تاریخ روز کاری را وارد کنید' }]}
          >
            <JalaliDatePicker allowClear={false} />
          </Form.Item>
          <Form.Item
            name="opening_vouchers"
            valuePropName="checked"
            extra="برای تسهیلاتی که نخستین بار محاسبه می‌شوند سند مانده افتتاحیه صادر شود؛ وقتی مانده‌ها پیش‌تر در سامانه متمرکز ثبت شده‌اند آن را نزنید."
            style={{ maxWidth: 420 }}
          >
            <Checkbox>صدور سند افتتاحیه</Checkbox>
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={starting} disabled={running}>
              شروع اجرا
            </Button>
          </Form.Item>
        </Form>
        {error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={toPersianDigits(error)}
            closable={{ onClose: () => setError(null) }}
            style={{ marginTop: 16 }}
            data-testid="day-run-error"
          />
        )}
        {run.error && (
          <Alert
            type="error"
            showIcon
            role="alert"
            title={errorMessage(run.error)}
            style={{ marginTop: 16 }}
          />
        )}
        {current && (
          <div style={{ marginTop: 16 }}>
            <RunProgress run={current} />
          </div>
        )}
      </Card>

      <DataTable<DayRun>
        base={RUNS_API}
        createPath={null}
        editPath={null}
        deletable={false}
        exportable={false}
        searchable={false}
        defaultSort={{ sort: 'queued_at', order: 'desc' }}
        filters={[
          {
            name: 'status',
            label: 'وضعیت',
            input: <Select allowClear placeholder="همه" options={statusOptions} style={{ width: 140 }} />,
          },
          {
            name: 'dates',
            label: 'تاریخ روز کاری',
            range: ['from', 'to'],
            input: <JalaliRangePicker />,
          },
        ]}
        columns={[
          { key: 'business_date', title: 'روز کاری', type: 'date' },
          {
            key: 'kind',
            title: 'نوع اجرا',
            sortable: false,
            value: (r) => (r.kind ? DAY_RUN_KIND_LABELS[r.kind] : null),
          },
          {
            key: 'source',
            title: 'شروع از',
            sortable: false,
            value: (r) => DAY_RUN_SOURCE_LABELS[r.source],
          },
          { key: 'status', title: 'وضعیت', render: (r) => <StatusTag run={r} /> },
          { key: 'started_by_name', title: 'شروع‌کننده', sortable: false },
          {
            key: 'queued_at',
            title: 'زمان شروع',
            type: 'datetime',
            value: (r) => r.started_at ?? r.queued_at,
          },
          { key: 'finished_at', title: 'زمان پایان', type: 'datetime', sortable: false },
          {
            key: 'seconds',
            title: 'مدت (ثانیه)',
            align: 'center',
            value: (r) => r.seconds?.toLocaleString('fa-IR', { maximumFractionDigits: 1 }),
          },
          { key: 'facilities', title: 'تسهیلات', type: 'number', sortable: false, align: 'center' },
          { key: 'class_changes', title: 'تغییر طبقه', type: 'number', sortable: false, align: 'center' },
          { key: 'vouchers', title: 'اسناد', type: 'number', sortable: false, align: 'center' },
          { key: 'message', title: 'پیام', sortable: false, ellipsis: true },
        ]}
      />
    </Space>
  );
}
