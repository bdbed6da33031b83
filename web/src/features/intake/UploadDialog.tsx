import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Checkbox,
  Descriptions,
  Form,
  Modal,
  Progress,
  Space,
  Typography,
  Upload,
} from 'antd';
import type { UploadFile } from 'antd';
import { useEffect, useState } from 'react';
import { INTAKE_REFUSAL_LABELS } from '@vosul/common/intake-labels';
import { JalaliDatePicker } from '../../components';
import { api, errorMessage } from '../../lib/api';
import { formatJalaliDate, formatNumber } from '../../lib/format';
import { INTAKE_RUNS_API, uploadSnapshot, type IntakeRun } from './api';
import { FileCounts, ImportMessage, RunStatusTag, isActive } from './IntakeRunParts';

const STAGE_LABELS: Record<string, string> = {
  load: 'خواندن فایل‌ها',
  done: 'پایان',
};

/**
 * «بارگذاری اطلاعات»: CSV files of a snapshot or one zip of them, an optional as-of date and the
 * force flag; shows the upload's progress, then the queued import's, until its result.
 */
export function UploadDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [asOf, setAsOf] = useState<string | undefined>();
  const [force, setForce] = useState(false);
  const [sent, setSent] = useState<number | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = useQuery({
    queryKey: [INTAKE_RUNS_API, 'run', runId],
    enabled: runId !== null,
    queryFn: ({ signal }) => api.get<IntakeRun>(`${INTAKE_RUNS_API}/${runId}`, undefined, { signal }),
    refetchInterval: (query) => {
      const data = query.state.data;
      return data && !isActive(data) ? false : 1000;
    },
  });
  const current = run.data;
  const finished = current !== undefined && !isActive(current);
  const status = current?.status;
  // the list follows the run: refreshed on each change of its status
  useEffect(() => {
    if (status) void client.invalidateQueries({ queryKey: [INTAKE_RUNS_API, 'list'] });
  }, [status, client]);

  const reset = () => {
    setFiles([]);
    setAsOf(undefined);
    setForce(false);
    setSent(null);
    setRunId(null);
    setError(null);
  };
  const close = () => {
    if (finished || runId === null) reset();
    onClose();
  };

  const start = async () => {
    setError(null);
    setSent(0);
    try {
      const queued = await uploadSnapshot(
        files.map((f) => f.originFileObj as File),
        { asOf, force },
        (fraction) => setSent(fraction),
      );
      setRunId(queued.id);
      void client.invalidateQueries({ queryKey: [INTAKE_RUNS_API] });
    } catch (e) {
      setSent(null);
      setError(errorMessage(e));
    }
  };

  const importing = runId !== null;
  const importPercent = current
    ? Math.round((current.status === 'succeeded' ? 1 : current.progress) * 100)
    : 0;

  return (
    <Modal
      open={open}
      title="بارگذاری اطلاعات کربنکینگ"
      onCancel={close}
      width={640}
      destroyOnHidden={false}
      footer={
        importing ? (
          <Button onClick={close}>{finished ? 'بستن' : 'بستن (بارگذاری ادامه می‌یابد)'}</Button>
        ) : (
          <Space>
            <Button onClick={close}>انصراف</Button>
            <Button
              type="primary"
              disabled={files.length === 0 || sent !== null}
              loading={sent !== null}
              onClick={() => void start()}
            >
              شروع بارگذاری
            </Button>
          </Space>
        )
      }
    >
      {!importing && (
        <Form layout="vertical" component="div">
          <Form.Item
            label="فایل‌ها"
            extra="فایل‌های CSV اطلاعات (customers.csv، facilities.csv، installments.csv، guarantors.csv و فایل‌های اختیاری) یا یک فایل zip از آن‌ها"
          >
            <Upload.Dragger
              multiple
              accept=".csv,.zip"
              fileList={files}
              beforeUpload={() => false}
              onChange={({ fileList }) => setFiles(fileList)}
              disabled={sent !== null}
            >
              <p className="ant-upload-text">فایل‌ها را اینجا رها کنید یا برای انتخاب کلیک کنید</p>
            </Upload.Dragger>
          </Form.Item>
          <Form.Item label="تاریخ اطلاعات" extra="اگر خالی بماند، امروز در نظر گرفته می‌شود">
            <JalaliDatePicker
              value={asOf}
              onChange={(v: string | null | undefined) => setAsOf(v ?? undefined)}
            />
          </Form.Item>
          <Form.Item>
            <Checkbox checked={force} onChange={(e) => setForce(e.target.checked)} disabled={sent !== null}>
              بارگذاری اجباری
            </Checkbox>
          </Form.Item>
          {force && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 16 }}
              title="با بارگذاری اجباری، اطلاعاتِ قدیمی‌تر از آخرین اطلاعات دریافت‌شده هم بارگذاری می‌شود و اگر بیش از ۱۰ درصد تسهیلات فعال بسته شوند، بارگذاری متوقف نمی‌شود. تنها وقتی از درستی فایل‌ها مطمئن هستید این گزینه را بزنید."
            />
          )}
          {sent !== null && (
            <div>
              <Typography.Text>ارسال فایل‌ها</Typography.Text>
              <Progress percent={Math.round(sent * 100)} data-testid="upload-progress" />
            </div>
          )}
          {error && <Alert type="error" showIcon title={error} role="alert" data-testid="upload-error" />}
        </Form>
      )}
      {importing && (
        <div data-testid="intake-run-progress">
          <Typography.Text>ارسال فایل‌ها</Typography.Text>
          <Progress percent={100} />
          <Typography.Text>
            پردازش اطلاعات
            {current?.stage && isActive(current) ? ` — ${STAGE_LABELS[current.stage] ?? current.stage}` : ''}
          </Typography.Text>
          <Progress
            percent={importPercent}
            status={
              current?.status === 'failed' || current?.status === 'refused'
                ? 'exception'
                : current?.status === 'succeeded'
                  ? 'success'
                  : 'active'
            }
            data-testid="import-progress"
          />
          {current && <RunResult run={current} />}
          {run.error && <Alert type="error" showIcon title={errorMessage(run.error)} />}
        </div>
      )}
    </Modal>
  );
}

function RunResult({ run }: { run: IntakeRun }) {
  if (run.status === 'succeeded')
    return (
      <Alert
        type={run.rejects > 0 ? 'warning' : 'success'}
        showIcon
        data-testid="intake-result"
        title={`اطلاعات ${formatJalaliDate(run.as_of)} بارگذاری شد${run.rejects > 0 ? `؛ ${formatNumber(run.rejects, true)} ردیف رد شد` : ''}.`}
        description={
          <Descriptions size="small" column={1}>
            <Descriptions.Item label="ردیف‌ها">
              <FileCounts run={run} />
            </Descriptions.Item>
            <Descriptions.Item label="تسهیلات بسته‌شده">{formatNumber(run.closed, true)}</Descriptions.Item>
          </Descriptions>
        }
      />
    );
  if (run.status === 'failed' || run.status === 'refused')
    return (
      <Alert
        type="error"
        showIcon
        data-testid="intake-result"
        title={
          run.status === 'refused'
            ? `اطلاعات پذیرفته نشد: ${run.refusal ? (INTAKE_REFUSAL_LABELS[run.refusal] ?? run.refusal) : ''}`
            : 'بارگذاری ناموفق بود؛ هیچ تغییری در اطلاعات داده نشد.'
        }
        description={run.message && <ImportMessage message={run.message} withOriginal />}
      />
    );
  return (
    <Space style={{ marginTop: 8 }}>
      <RunStatusTag run={run} />
      {run.status === 'retrying' && <span>تلاش دوباره پس از فاصله تعیین‌شده در تنظیمات انجام می‌شود.</span>}
      {run.status === 'queued' && <span>در صف اجرا…</span>}
    </Space>
  );
}
