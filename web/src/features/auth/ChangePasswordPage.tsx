import { App, Form } from 'antd';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import {
  FormShell,
  NewPasswordFields,
  PasswordField,
  applyFieldError,
  saveErrorMessage,
} from '../../components';
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
      <PasswordField
        name="current_password"
        label="کلمه عبور فعلی"
        rules={[{ required: true, message: 'کلمه عبور فعلی را وارد کنید.' }]}
        autoComplete="current-password"
        inputStyle={{ maxWidth: 320 }}
      />
      <NewPasswordFields repeatRequired="تکرار کلمه عبور جدید را وارد کنید." inputStyle={{ maxWidth: 320 }} />
    </FormShell>
  );
}
