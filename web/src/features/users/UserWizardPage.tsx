import { Alert, App, Button, Card, Space, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { toPersianDigits } from '@vosul/common/text';
import { WIZARD_COLUMNS, WIZARD_MAX_ROWS } from '@vosul/common/users';
import { useCanOpen } from '../../app/auth';
import { usePage } from '../../app/page';
import { api, ApiError, errorMessage } from '../../lib/api';
import { WIZARD_API, type WizardFailureDetails, type WizardResult, type WizardRowError } from './types';

type Outcome =
  | { kind: 'created'; result: WizardResult }
  | { kind: 'rows'; message: string; details: WizardFailureDetails }
  | { kind: 'error'; message: string; rows?: WizardRowError[] };

/** Hands a base64 .xlsx (the annotated workbook of the answer) to the browser as a download. */
function saveBase64(base64: string, name: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(
    new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
  );
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

const isFailureDetails = (d: unknown): d is WizardFailureDetails =>
  !!d && typeof d === 'object' && 'rows' in d && 'workbook_base64' in d;

/**
 * V6 جادوی کاربری: download the template, fill it, upload it. All rows are created together, or none:
 * bad rows are listed with their Excel row number and reason, and the workbook can be downloaded
 * back with a «وضعیت» column written on every row.
 */
export default function UserWizardPage() {
  const page = usePage();
  const canOpen = useCanOpen();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const downloadTemplate = async () => {
    setDownloading(true);
    try {
      await api.download(`${WIZARD_API}/template`, undefined, 'users-wizard-template.xlsx');
    } catch (e) {
      void message.error(errorMessage(e));
    } finally {
      setDownloading(false);
    }
  };

  const send = async (file: File) => {
    setBusy(true);
    setOutcome(null);
    try {
      const body = new FormData();
      body.append('file', file);
      const result = await api.post<WizardResult>(WIZARD_API, body);
      setOutcome({ kind: 'created', result });
      void message.success(`${toPersianDigits(result.count)} کاربر تعریف شد.`);
    } catch (e) {
      if (e instanceof ApiError && isFailureDetails(e.details)) {
        setOutcome({ kind: 'rows', message: e.message, details: e.details });
      } else {
        const rows =
          e instanceof ApiError ? (e.details as { rows?: WizardRowError[] } | undefined)?.rows : undefined;
        setOutcome({ kind: 'error', message: errorMessage(e), rows });
      }
    } finally {
      setBusy(false);
    }
  };

  const errorRows =
    outcome?.kind === 'rows' ? outcome.details.rows : outcome?.kind === 'error' ? (outcome.rows ?? []) : [];

  return (
    <Card variant="borderless" styles={{ body: { padding: 24 } }}>
      <Typography.Title level={2} className="vosul-page-title" style={{ fontSize: 20, marginBottom: 16 }}>
        {page?.title ?? 'جادوی کاربری'}
      </Typography.Title>
      <Typography.Paragraph>
        برای تعریف گروهی کاربران، الگوی اکسل را دریافت کنید، از سطر دوم به بعد برای هر کاربر یک سطر پر کنید و
        فایل را بارگذاری کنید. اگر حتی یک سطر خطا داشته باشد هیچ کاربری ثبت نمی‌شود و خطای هر سطر نمایش داده
        می‌شود؛ پس از اصلاح، همان فایل را دوباره بارگذاری کنید. هر فایل حداکثر{' '}
        {toPersianDigits(WIZARD_MAX_ROWS)} کاربر.
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">
        ستون‌ها: {WIZARD_COLUMNS.map((c) => c.header + (c.required ? ' (اجباری)' : '')).join('، ')}.
      </Typography.Paragraph>

      <Space wrap style={{ marginBottom: 16 }}>
        <Button onClick={() => void downloadTemplate()} loading={downloading}>
          دریافت الگوی اکسل
        </Button>
        <Upload
          accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          showUploadList={false}
          maxCount={1}
          disabled={busy}
          beforeUpload={(file) => {
            void send(file);
            return false;
          }}
        >
          <Button type="primary" loading={busy}>
            بارگذاری فایل کاربران
          </Button>
        </Upload>
      </Space>

      {outcome?.kind === 'created' && (
        <>
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            title={`${toPersianDigits(outcome.result.count)} کاربر با موفقیت تعریف شد.`}
            action={canOpen('users') ? <Link to="/users">فهرست کاربران</Link> : undefined}
          />
          <Table
            rowKey="id"
            size="small"
            bordered
            pagination={false}
            dataSource={outcome.result.created}
            columns={[
              { key: 'row', title: 'ردیف اکسل', width: 100, render: (_v, r) => toPersianDigits(r.row) },
              {
                key: 'username',
                title: 'نام کاربری',
                render: (_v, r) =>
                  canOpen('users') ? (
                    <Link to={`/users/${r.id}`}>{r.username}</Link>
                  ) : (
                    <span className="vosul-ltr-text">{r.username}</span>
                  ),
              },
              {
                key: 'name',
                title: 'نام و نام خانوادگی',
                render: (_v, r) => `${r.first_name} ${r.last_name}`,
              },
            ]}
          />
        </>
      )}

      {(outcome?.kind === 'rows' || outcome?.kind === 'error') && (
        <Alert
          type="error"
          showIcon
          role="alert"
          data-testid="wizard-error"
          style={{ marginBottom: 12 }}
          title={outcome.message}
          action={
            outcome.kind === 'rows' ? (
              <Button
                size="small"
                onClick={() => saveBase64(outcome.details.workbook_base64, outcome.details.workbook_name)}
              >
                دریافت فایل با ستون وضعیت
              </Button>
            ) : undefined
          }
        />
      )}
      {errorRows.length > 0 && (
        <Table<WizardRowError>
          rowKey={(r) => `${r.row}:${r.field}`}
          size="small"
          bordered
          dataSource={errorRows}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { key: 'row', title: 'ردیف اکسل', width: 100, render: (_v, r) => toPersianDigits(r.row) },
            { key: 'column', title: 'ستون', width: 180, render: (_v, r) => r.column ?? r.field },
            { key: 'reason', title: 'علت خطا', render: (_v, r) => toPersianDigits(r.reason) },
          ]}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        کاربران فقط در شعبه‌ها و استان حوزه شما و فقط با گروه‌هایی که خودتان دارید تعریف می‌شوند؛ برگه
        «راهنما» در الگو گروه‌ها و شعبه‌های مجاز را فهرست می‌کند.{' '}
        {canOpen('users') && <Link to="/users">بازگشت به کاربران</Link>}
      </Typography.Paragraph>
    </Card>
  );
}
