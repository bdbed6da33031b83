import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Divider, Form, Spin } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { toPersianDigits } from '@vosul/common/text';
import { useUser } from '../../app/auth';
import { FormShell, NumberText, applyFieldError, saveErrorMessage } from '../../components';
import { api, errorMessage } from '../../lib/api';

interface SettingsCardProps<S, V> {
  /** The settings' API path (also the query key). */
  path: string;
  /** Form name: prefixes the inputs' ids. */
  name: string;
  title: string;
  /** Shown when saved. */
  savedMessage: string;
  /** The stored settings as form values; keep it stable (a module function). */
  toValues: (settings: S) => V;
  /** The form values as the PATCH body. */
  toBody: (values: V) => unknown;
  /** Tell a branch user why the fields are read-only. */
  hqOnlyNotice?: boolean;
  children: ReactNode;
}

/** A card of system settings: loads them, HQ edits and saves them with PATCH, others only read. */
export function SettingsCard<S, V>({
  path,
  name,
  title,
  savedMessage,
  toValues,
  toBody,
  hqOnlyNotice = false,
  children,
}: SettingsCardProps<S, V>) {
  const user = useUser();
  const canEdit = user.scope === 'hq';
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<V>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const settings = useQuery({
    queryKey: [path],
    queryFn: ({ signal }) => api.get<S>(path, undefined, { signal }),
  });

  useEffect(() => {
    if (settings.data) {
      form.setFieldsValue(toValues(settings.data));
    }
  }, [settings.data, form, toValues]);

  if (settings.isPending) return <Spin description="در حال بارگذاری…" />;
  if (settings.error)
    return <Alert type="error" showIcon title={errorMessage(settings.error)} role="alert" />;

  const onFinish = async (values: V) => {
    setError(null);
    setSaving(true);
    try {
      const saved = await api.patch<S>(path, toBody(values));
      client.setQueryData([path], saved);
      void message.success(savedMessage);
    } catch (e) {
      if (!applyFieldError(form, e)) setError(saveErrorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormShell<V>
      form={form}
      name={name}
      title={title}
      onFinish={(v) => void onFinish(v)}
      saving={saving}
      error={error}
      disabled={!canEdit}
    >
      {hqOnlyNotice && !canEdit && (
        <Alert
          type="info"
          showIcon
          title="تنها کاربران ستاد می‌توانند این تنظیمات را تغییر دهند."
          style={{ marginBottom: 16 }}
        />
      )}
      {children}
    </FormShell>
  );
}

/** A titled group of fields inside a settings card. */
export function SettingsGroup({ title, children }: { title: string; children: ReactNode }) {
  return (
    <>
      <Divider titlePlacement="start">{title}</Divider>
      {children}
    </>
  );
}

/** A whole-number setting typed as text, checked against its range (the server's limits). */
export function LimitField({
  name,
  limit: { label, min, max },
}: {
  /** a top-level name, or the path of a field inside a group (`['contact_rules', 'sms_per_day']`) */
  name: string | (string | number)[];
  limit: { label: string; min: number; max: number };
}) {
  return (
    <Form.Item
      name={name}
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
      <NumberText style={{ maxWidth: 160 }} maxLength={String(max).length} />
    </Form.Item>
  );
}
