import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Progress, Select, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import {
  INTAKE_RUN_STATUSES,
  INTAKE_RUN_STATUS_LABELS,
  INTAKE_SOURCE_LABELS,
} from '@vosul/common/intake-labels';
import { useUser } from '../../app/auth';
import { DataTable, JalaliRangePicker } from '../../components';
import { api, errorMessage } from '../../lib/api';
import { formatJalaliDate, formatNumber, toPersianDigits } from '../../lib/format';
import { INTAKE_RUNS_API, type IntakeRun } from './api';
import { FileCounts, RunMessage, RunStatusTag } from './IntakeRunParts';
import { UploadDialog } from './UploadDialog';

const statusOptions = INTAKE_RUN_STATUSES.map((s) => ({ value: s, label: INTAKE_RUN_STATUS_LABELS[s] }));

/** The runs in progress (from any tab or the schedule), followed until they end. */
function RunningRuns() {
  const client = useQueryClient();
  const running = useQuery({
    queryKey: [INTAKE_RUNS_API, 'running'],
    queryFn: ({ signal }) =>
      api.get<{ items: IntakeRun[] }>(INTAKE_RUNS_API, { status: 'running', page_size: 5 }, { signal }),
    refetchInterval: 2000,
  });
  const ids = running.data?.items.map((r) => r.id).join(',') ?? '';
  useEffect(() => {
    void client.invalidateQueries({ queryKey: [INTAKE_RUNS_API, 'list'] });
  }, [ids, client]);
  if (!running.data || running.data.items.length === 0) return null;
  return (
    <Space direction="vertical" style={{ width: '100%', marginBottom: 12 }}>
      {running.data.items.map((run) => (
        <Card key={run.id} size="small">
          <Typography.Text>
            در حال بارگذاری اطلاعات {formatJalaliDate(run.as_of)} ({INTAKE_SOURCE_LABELS[run.source]})
          </Typography.Text>
          <Progress percent={Math.round(run.progress * 100)} status="active" />
        </Card>
      ))}
    </Space>
  );
}

async function downloadRejects(run: IntakeRun, onError: (message: string) => void) {
  try {
    await api.download(`${INTAKE_RUNS_API}/${run.id}/rejects`, undefined, `intake-rejects-${run.id}.xlsx`);
  } catch (e) {
    onError(errorMessage(e));
  }
}

/** V24: every intake run — date, source, status, retries, counts per file, duration — and the upload. */
export default function IntakeReportPage() {
  const user = useUser();
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <DataTable<IntakeRun>
        base={INTAKE_RUNS_API}
        exportName="intake-report.xlsx"
        createPath={null}
        editPath={null}
        deletable={false}
        searchable={false}
        defaultSort={{ sort: 'started_at', order: 'desc' }}
        toolbar={
          user.scope === 'hq' ? (
            <Button type="primary" onClick={() => setUploading(true)}>
              بارگذاری اطلاعات
            </Button>
          ) : undefined
        }
        header={
          <>
            <RunningRuns />
            {error && (
              <Alert
                type="error"
                showIcon
                title={error}
                closable
                onClose={() => setError(null)}
                role="alert"
              />
            )}
          </>
        }
        filters={[
          { name: 'period', label: 'تاریخ', range: ['from', 'to'], input: <JalaliRangePicker /> },
          {
            name: 'status',
            label: 'وضعیت',
            input: <Select allowClear placeholder="همه" options={statusOptions} style={{ width: 170 }} />,
          },
        ]}
        columns={[
          { key: 'started_at', title: 'زمان', type: 'datetime', width: 140, value: (r) => r.queued_at },
          { key: 'as_of', title: 'تاریخ اطلاعات', type: 'date', width: 110 },
          {
            key: 'source',
            title: 'منبع',
            sortable: false,
            render: (r) => (
              <>
                <div>{INTAKE_SOURCE_LABELS[r.source]}</div>
                {r.uploaded_by_name && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.uploaded_by_name}
                  </Typography.Text>
                )}
              </>
            ),
          },
          { key: 'status', title: 'وضعیت', render: (r) => <RunStatusTag run={r} />, align: 'center' },
          {
            key: 'retries',
            title: 'تلاش دوباره',
            sortable: false,
            align: 'center',
            value: (r) =>
              r.max_retries > 0 || r.retries > 0 ? `${r.retries} از ${r.max_retries}` : r.retries,
          },
          {
            key: 'files',
            title: 'ردیف‌ها (به تفکیک فایل)',
            sortable: false,
            render: (r) => <FileCounts run={r} />,
          },
          {
            key: 'rejects',
            title: 'ردیف‌های ردشده',
            align: 'center',
            render: (r) =>
              r.rejects > 0 ? (
                <Button size="small" onClick={() => void downloadRejects(r, setError)}>
                  {formatNumber(r.rejects, true)} ردیف — اکسل
                </Button>
              ) : (
                formatNumber(0)
              ),
          },
          { key: 'closed', title: 'بسته‌شده', type: 'number', sortable: false, align: 'center' },
          {
            key: 'seconds',
            title: 'مدت',
            value: (r) => (r.seconds === null ? null : `${toPersianDigits(r.seconds.toFixed(1))} ثانیه`),
          },
          {
            key: 'message',
            title: 'توضیح',
            sortable: false,
            render: (r) => <RunMessage run={r} />,
            width: 260,
          },
        ]}
      />
      <UploadDialog open={uploading} onClose={() => setUploading(false)} />
    </>
  );
}
