import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Spin } from 'antd';
import { useEffect, useState } from 'react';
import type { IntakeSettings } from '@vosul/common/settings';
import { INTAKE_LABELS, INTAKE_LIMITS, type IntakeLimitKey } from '@vosul/common/settings-limits';
import { normalizeText, toPersianDigits } from '@vosul/common/text';
import { useUser } from '../../app/auth';
import { FormShell, NumberText, TextInput, applyFieldError, saveErrorMessage } from '../../components';
import { api, errorMessage } from '../../lib/api';

const INTAKE_API = '/api/v1/settings/intake';
const NUMBER_KEYS = Object.keys(INTAKE_LIMITS) as IntakeLimitKey[];

interface IntakeValues {
  drop_folder: string;
  daily_time: string;
  retry_count: string;
  retry_delay_minutes: string;
}

/** «دریافت اطلاعات از کربنکینگ» (V24): the drop folder, its daily time and the retries (HQ edits). */
export function IntakeSettingsCard() {
  const user = useUser();
  const canEdit = user.scope === 'hq';
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<IntakeValues>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const settings = useQuery({
    queryKey: [INTAKE_API],
    queryFn: ({ signal }) => api.get<IntakeSettings>(INTAKE_API, undefined, { signal }),
  });

  useEffect(() => {
    if (settings.data) {
      const d = settings.data;
      form.setFieldsValue({
        drop_folder: d.drop_folder,
        daily_time: d.daily_time,
        retry_count: String(d.retry_count),
        retry_delay_minutes: String(d.retry_delay_minutes),
      });
    }
  }, [settings.data, form]);

  if (settings.isPending) return <Spin description="در حال بارگذاری…" />;
  if (settings.error)
    return <Alert type="error" showIcon title={errorMessage(settings.error)} role="alert" />;

  const onFinish = async (values: IntakeValues) => {
    setError(null);
    setSaving(true);
    try {
      const saved = await api.patch<IntakeSettings>(INTAKE_API, {
        drop_folder: values.drop_folder ?? '',
        daily_time: values.daily_time,
        retry_count: Number(values.retry_count),
        retry_delay_minutes: Number(values.retry_delay_minutes),
      });
      client.setQueryData([INTAKE_API], saved);
      void message.success('تنظیمات دریافت اطلاعات ذخیره شد.');
    } catch (e) {
      if (!applyFieldError(form, e)) setError(saveErrorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormShell<IntakeValues>
      form={form}
      name="intake-settings"
      title="دریافت اطلاعات از کربنکینگ"
      onFinish={(v) => void onFinish(v)}
      saving={saving}
      error={error}
      disabled={!canEdit}
    >
      <Form.Item
        name="drop_folder"
        label={INTAKE_LABELS.drop_folder}
        extra="پوشه‌ای روی سرور که کربنکینگ اطلاعات روزانه را در آن می‌گذارد؛ خالی یعنی دریافت زمان‌بندی‌شده خاموش است. اطلاعات تنها وقتی برداشته می‌شود که manifest.csv آن نوشته شده باشد."
      >
        <TextInput ltr placeholder="/srv/vosul/drop" style={{ maxWidth: 420 }} />
      </Form.Item>
      <Form.Item
        name="daily_time"
        label={INTAKE_LABELS.daily_time}
        extra="ساعت:دقیقه به وقت ایران، مانند ۰۲:۳۰"
        rules={[
          { required: true, message: `${INTAKE_LABELS.daily_time} را وارد کنید.` },
          {
            validator: (_rule, value: unknown) =>
              typeof value !== 'string' ||
              value === '' ||
              /^([01]?\d|2[0-3]):[0-5]\d$/.test(normalizeText(value))
                ? Promise.resolve()
                : Promise.reject(
                    new Error(`${INTAKE_LABELS.daily_time} باید به شکل ساعت:دقیقه (مانند ۰۲:۳۰) باشد.`),
                  ),
          },
        ]}
      >
        <TextInput ltr style={{ maxWidth: 120 }} maxLength={5} />
      </Form.Item>
      {NUMBER_KEYS.map((key) => {
        const { label, min, max } = INTAKE_LIMITS[key];
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
                    : Promise.reject(
                        new Error(
                          `${label} باید عددی صحیح از ${toPersianDigits(min)} تا ${toPersianDigits(max)} باشد.`,
                        ),
                      );
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
