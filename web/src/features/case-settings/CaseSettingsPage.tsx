import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Result, Space, Spin, Typography } from 'antd';
import { useEffect } from 'react';
import type { CaseSettings } from '@vosul/common/case-settings';
import {
  FormShell,
  MoneyInput,
  NumberText,
  SAVED_MESSAGE,
  TextInput,
  maxLength,
  required,
  useFormSave,
} from '../../components';
import { useUser } from '../../app/auth';
import { api, errorMessage } from '../../lib/api';

const API = '/api/v1/case-settings';

interface RangeValues {
  from_days: string;
  to_days: string;
  title: string;
}
interface Values {
  ranges: RangeValues[];
  thresholds: string[];
}

const toValues = (s: CaseSettings): Values => ({
  ranges: s.ranges.map((r) => ({
    from_days: String(r.from_days),
    to_days: r.to_days === null ? '' : String(r.to_days),
    title: r.title,
  })),
  thresholds: s.thresholds,
});

const toBody = (v: Values) => ({
  ranges: (v.ranges ?? []).map((r) => ({
    from_days: Number(r.from_days),
    to_days: r.to_days ? Number(r.to_days) : null,
    title: r.title,
  })),
  thresholds: (v.thresholds ?? []).filter(Boolean),
});

/**
 * V9 تنظیمات پرونده‌ها: the overdue-day ranges and amount thresholds the home page counts by. Saving
 * re-buckets the latest run's figures at once. Only HQ users change them.
 */
export default function CaseSettingsPage() {
  const user = useUser();
  const client = useQueryClient();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const {
    save: onFinish,
    saving,
    error,
  } = useFormSave(form, async (values: Values) => {
    const saved = await api.put<CaseSettings>(API, toBody(values));
    client.setQueryData([API], saved);
    await client.invalidateQueries({ queryKey: ['/api/v1/dashboard'] });
    void message.success(SAVED_MESSAGE);
  });
  const settings = useQuery({
    queryKey: [API],
    queryFn: ({ signal }) => api.get<CaseSettings>(API, undefined, { signal }),
  });

  useEffect(() => {
    if (settings.data) form.setFieldsValue(toValues(settings.data));
  }, [settings.data, form]);

  if (settings.isPending)
    return (
      <Card variant="borderless">
        <Spin description="در حال بارگذاری…">
          <div style={{ height: 160 }} />
        </Spin>
      </Card>
    );
  if (settings.error) return <Result status="error" title={errorMessage(settings.error)} />;

  return (
    <FormShell<Values>
      form={form}
      name="case-settings"
      title="تنظیمات پرونده‌ها"
      onFinish={(v) => void onFinish(v)}
      saving={saving}
      error={error}
      disabled={user.scope !== 'hq'}
    >
      {user.scope !== 'hq' && (
        <Typography.Paragraph type="secondary">
          این تنظیمات را فقط کاربران ستاد تغییر می‌دهند.
        </Typography.Paragraph>
      )}
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        بازه‌های روز معوق
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        بازه‌ها به ترتیب صعودی و بدون همپوشانی‌اند؛ «تا روز» بازه آخر را برای «به بالا» خالی بگذارید.
      </Typography.Paragraph>
      <Form.List name="ranges">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, i) => (
              <Form.Item key={field.key} label={`بازه ${(i + 1).toLocaleString('fa-IR')}`} required>
                <Space wrap align="start">
                  <Form.Item
                    name={[field.name, 'from_days']}
                    rules={[required('از روز')]}
                    noStyle={false}
                    style={{ marginBottom: 0 }}
                  >
                    <NumberText placeholder="از روز" aria-label="از روز" style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'to_days']} style={{ marginBottom: 0 }}>
                    <NumberText placeholder="تا روز" aria-label="تا روز" style={{ width: 100 }} />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'title']}
                    rules={[required('عنوان بازه'), maxLength(100)]}
                    style={{ marginBottom: 0 }}
                  >
                    <TextInput placeholder="عنوان بازه" aria-label="عنوان بازه" style={{ width: 220 }} />
                  </Form.Item>
                  <Button onClick={() => remove(field.name)} disabled={fields.length <= 1}>
                    حذف
                  </Button>
                </Space>
              </Form.Item>
            ))}
            <Form.Item label=" ">
              <Button type="dashed" onClick={() => add({ from_days: '', to_days: '', title: '' })}>
                افزودن بازه
              </Button>
            </Form.Item>
          </>
        )}
      </Form.List>
      <Typography.Title level={3} style={{ fontSize: 16 }}>
        آستانه‌های مبلغ معوق
      </Typography.Title>
      <Typography.Paragraph type="secondary">
        مبالغ به ترتیب صعودی؛ صفحه اصلی پرونده‌ها را میان این آستانه‌ها دسته‌بندی می‌کند.
      </Typography.Paragraph>
      <Form.List name="thresholds">
        {(fields, { add, remove }) => (
          <>
            {fields.map((field, i) => (
              <Form.Item key={field.key} label={`آستانه ${(i + 1).toLocaleString('fa-IR')}`} required>
                <Space align="start">
                  <Form.Item name={field.name} rules={[required('مبلغ آستانه')]} style={{ marginBottom: 0 }}>
                    <MoneyInput aria-label="مبلغ آستانه" style={{ width: 240 }} />
                  </Form.Item>
                  <Button onClick={() => remove(field.name)}>حذف</Button>
                </Space>
              </Form.Item>
            ))}
            <Form.Item label=" ">
              <Button type="dashed" onClick={() => add('')}>
                افزودن آستانه
              </Button>
            </Form.Item>
          </>
        )}
      </Form.List>
    </FormShell>
  );
}
