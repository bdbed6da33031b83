import { App, Form, Modal, Typography } from 'antd';
import { useState } from 'react';
import { NewPasswordFields, applyFieldError, saveErrorMessage } from '../../components';
import { api } from '../../lib/api';
import { USERS_API, type User } from './types';

interface Values {
  new_password: string;
  repeat_password: string;
}

/**
 * V4 «تغییر کلمه عبور» of the users list: an administrator sets a user's new password (new and
 * repeat). The user's open sessions end; they sign in again with the new password.
 */
export function SetPasswordDialog({ user, onClose }: { user: User | null; onClose: () => void }) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const close = () => {
    form.resetFields();
    setError(null);
    onClose();
  };

  const onFinish = async (values: Values) => {
    if (!user) return;
    setError(null);
    setSaving(true);
    try {
      await api.post<void>(`${USERS_API}/${user.id}/password`, values);
      void message.success(`کلمه عبور کاربر ${user.username} تغییر کرد.`);
      close();
    } catch (e) {
      if (!applyFieldError(form, e)) setError(saveErrorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={user !== null}
      title="تغییر کلمه عبور"
      okText="ذخیره"
      cancelText="لغو"
      confirmLoading={saving}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
    >
      {user && (
        <Typography.Paragraph>
          کاربر: <span className="vosul-ltr-text">{user.username}</span> ({user.first_name} {user.last_name})
        </Typography.Paragraph>
      )}
      {error && (
        <Typography.Paragraph type="danger" role="alert">
          {error}
        </Typography.Paragraph>
      )}
      <Form<Values>
        form={form}
        name="set-password"
        layout="vertical"
        onFinish={(v) => void onFinish(v)}
        requiredMark={false}
      >
        <NewPasswordFields checkLength />
      </Form>
    </Modal>
  );
}
