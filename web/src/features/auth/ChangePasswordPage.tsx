import { App, Form, Input } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { FormShell, applyFieldError, saveErrorMessage } from '../../components';
import { api } from '../../lib/api';

interface PasswordValues {
  current_password: string;
  new_password: string;
  repeat_password: string;
}

/** V5: every user changes their own password (current, new, repeat). */
export default function ChangePasswordPage() {
  const [form] = Form.useForm<PasswordValues>();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onFinish = async (values: PasswordValues) => {
    setError(null);
    setSaving(true);
    try {
      await api.post<void>('/api/v1/auth/password', values);
      form.resetFields();
      void message.success('کلمه عبور با موفقیت تغییر کرد.');
    } catch (e) {
      if (!applyFieldError(form, e)) setError(saveErrorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <FormShell<PasswordValues>
      form={form}
      name="change-password"
      title="تغییر کلمه عبور"
      onFinish={(v) => void onFinish(v)}
      onCancel={() => void navigate('/')}
      saving={saving}
      error={error}
    >
      <Form.Item
        name="current_password"
        label="کلمه عبور فعلی"
        rules={[{ required: true, message: 'کلمه عبور فعلی را وارد کنید.' }]}
      >
        <Input.Password autoComplete="current-password" className="vosul-ltr" style={{ maxWidth: 320 }} />
      </Form.Item>
      <Form.Item
        name="new_password"
        label="کلمه عبور جدید"
        rules={[{ required: true, message: 'کلمه عبور جدید را وارد کنید.' }]}
      >
        <Input.Password autoComplete="new-password" className="vosul-ltr" style={{ maxWidth: 320 }} />
      </Form.Item>
      <Form.Item
        name="repeat_password"
        label="تکرار کلمه عبور"
        dependencies={['new_password']}
        rules={[
          { required: true, message: 'تکرار کلمه عبور جدید را وارد کنید.' },
          ({ getFieldValue }) => ({
            validator: (_rule, value: unknown) =>
              !value || value === getFieldValue('new_password')
                ? Promise.resolve()
                : Promise.reject(new Error('تکرار کلمه عبور با کلمه عبور جدید یکسان نیست.')),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" className="vosul-ltr" style={{ maxWidth: 320 }} />
      </Form.Item>
    </FormShell>
  );
}
