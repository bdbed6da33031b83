import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { SecuritySettings } from '@vosul/common/settings';
import { SECURITY_LIMITS, type SecuritySettingKey } from '@vosul/common/settings-limits';
import { toPersianDigits } from '@vosul/common/text';
import { useUser } from '../../app/auth';
import { FormShell, NumberText, applyFieldError, saveErrorMessage } from '../../components';
import { api, errorMessage } from '../../lib/api';
import { IntakeSettingsCard } from './IntakeSettingsCard';

const SECURITY_API = '/api/v1/settings/security';
const KEYS = Object.keys(SECURITY_LIMITS) as SecuritySettingKey[];

type SecurityValues = Record<SecuritySettingKey, string>;

const rangeMessage = (key: SecuritySettingKey) => {
  const { label, min, max } = SECURITY_LIMITS[key];
  return `${label} باید عددی صحیح از ${toPersianDigits(min)} تا ${toPersianDigits(max)} باشد.`;
};

/** The «امنیت ورود» card: session idle limit, failures before lockout, lockout length (HQ edits). */
function SecurityCard() {
  const user = useUser();
  const canEdit = user.scope === 'hq';
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<SecurityValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const settings = useQuery({
    queryKey: [SECURITY_API],
    queryFn: ({ signal }) => api.get<SecuritySettings>(SECURITY_API, undefined, { signal }),
  });

  useEffect(() => {
    if (settings.data) {
      form.setFieldsValue(Object.fromEntries(KEYS.map((k) => [k, String(settings.data[k])])));
    }
  }, [settings.data, form]);

  if (settings.isPending) return <Spin description="در حال بارگذاری…" />;
  if (settings.error)
    return <Alert type="error" showIcon title={errorMessage(settings.error)} role="alert" />;

  const onFinish = async (values: SecurityValues) => {
    setError(null);
    setSaving(true);
    try {
      const body = Object.fromEntries(KEYS.map((k) => [k, Number(values[k])]));
      const saved = await api.patch<SecuritySettings>(SECURITY_API, body);
      client.setQueryData([SECURITY_API], saved);
      void message.success('تنظیمات ذخیره شد.');
    } catch (e) {
      if (!applyFieldError(form, e)) setError(saveErrorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormShell<SecurityValues>
      form={form}
      name="security-settings"
      title="امنیت ورود"
      onFinish={(v) => void onFinish(v)}
      saving={saving}
      error={error}
      disabled={!canEdit}
    >
      {!canEdit && (
        <Alert
          type="info"
          showIcon
          title="تنها کاربران ستاد می‌توانند این تنظیمات را تغییر دهند."
          style={{ marginBottom: 16 }}
        />
      )}
      {KEYS.map((key) => {
        const { label, min, max } = SECURITY_LIMITS[key];
        return (
          <Form.Item
            key={key}
            name={key}
            label={label}
            extra={`از ${toPersianDigits(min)} تا ${toPersianDigits(max)}`}
            rules={[
              { required: true, message: `${label} را وارد کنید.` },
              {
                validator: (_rule, value: unknown) => {
                  const n = Number(value);
                  return value === undefined || value === '' || (Number.isInteger(n) && n >= min && n <= max)
                    ? Promise.resolve()
                    : Promise.reject(new Error(rangeMessage(key)));
                },
              },
            ]}
          >
            <NumberText style={{ maxWidth: 160 }} maxLength={5} />
          </Form.Item>
        );
      })}
    </FormShell>
  );
}

/** V8: system settings. The SMS, e-mail, IVR and schedule cards come with their issues. */
export default function SystemSettingsPage() {
  return (
    <>
      <Typography.Title level={2} className="vosul-page-title" style={{ fontSize: 20, marginBottom: 16 }}>
        تنظیمات سیستم
      </Typography.Title>
      <SecurityCard />
      <div style={{ height: 16 }} />
      <IntakeSettingsCard />
    </>
  );
}
