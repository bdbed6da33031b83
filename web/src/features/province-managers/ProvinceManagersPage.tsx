/**
 * «اطلاعات مدیر استان» (V7): each province's manager — name, e-mail, mobile — and whether the daily
 * activity mail goes to them, with how the last one ended. HQ edits every province, a province user
 * their own; edited in a dialog.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Modal, Switch, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import {
  DAILY_MAIL_NEEDS_EMAIL,
  MANAGER_MAIL_STATUSES,
  PROVINCE_MANAGER_LABELS as L,
  type ProvinceManager,
} from '@vosul/common/province-managers';
import { isValidEmail, normalizeMobile } from '@vosul/common/validators';
import { normalizeText } from '@vosul/common/text';
import { DataTable, TextInput, maxLength, required, useFormSave } from '../../components';
import { api } from '../../lib/api';
import { formatJalaliDate, toPersianDigits } from '../../lib/format';

const MANAGERS_API = '/api/v1/province-managers';

interface Values {
  manager_name: string;
  email: string;
  mobile: string;
  daily_mail: boolean;
}

function LastMail({ manager }: { manager: ProvinceManager }) {
  if (!manager.last_mail_date || !manager.last_mail_status) return null;
  const color = manager.last_mail_status === 'sent' ? 'green' : 'red';
  const tag = (
    <Tag color={color}>
      {formatJalaliDate(manager.last_mail_date)} — {MANAGER_MAIL_STATUSES[manager.last_mail_status]}
    </Tag>
  );
  return manager.last_mail_error ? <Tooltip title={manager.last_mail_error}>{tag}</Tooltip> : tag;
}

export default function ProvinceManagersPage() {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState<ProvinceManager | null>(null);

  return (
    <>
      <DataTable<ProvinceManager>
        base={MANAGERS_API}
        createPath={null}
        editPath={null}
        deletable={false}
        searchHint="استان، نام مدیر، پست الکترونیک یا تلفن همراه"
        defaultSort={{ sort: 'province_code', order: 'asc' }}
        columns={[
          { key: 'province_name', title: L.province_name },
          { key: 'manager_name', title: L.manager_name },
          { key: 'email', title: L.email, type: 'latin' },
          { key: 'mobile', title: L.mobile, type: 'number' },
          {
            key: 'daily_mail',
            title: L.daily_mail,
            render: (m) => (m.daily_mail ? <Tag color="blue">فعال</Tag> : <Tag>غیرفعال</Tag>),
          },
          { key: 'last_mail_date', title: L.last_mail, render: (m) => <LastMail manager={m} /> },
          {
            key: 'actions',
            title: 'عملیات',
            sortable: false,
            render: (m) => (
              <Button size="small" onClick={() => setEditing(m)}>
                ویرایش
              </Button>
            ),
          },
        ]}
      />
      {editing && (
        <ManagerModal
          record={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void message.success('اطلاعات مدیر استان ذخیره شد.');
            void client.invalidateQueries({ queryKey: [MANAGERS_API] });
          }}
        />
      )}
    </>
  );
}

function ManagerModal({
  record,
  onClose,
  onSaved,
}: {
  record: ProvinceManager;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const { save, saving, error } = useFormSave(form, async (values: Values) => {
    await api.patch(`${MANAGERS_API}/${record.id}`, {
      manager_name: values.manager_name,
      email: values.email || null,
      mobile: values.mobile || null,
      daily_mail: values.daily_mail,
      version: record.version,
    });
    onSaved();
  });

  return (
    <Modal
      open
      title={`مدیر استان ${toPersianDigits(record.province_name)}`}
      onCancel={onClose}
      destroyOnHidden
      okText="ذخیره"
      cancelText="انصراف"
      confirmLoading={saving}
      onOk={() => form.submit()}
    >
      {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
      <Form<Values>
        form={form}
        name="province-manager"
        layout="vertical"
        initialValues={{
          manager_name: record.manager_name ?? '',
          email: record.email ?? '',
          mobile: record.mobile ?? '',
          daily_mail: record.daily_mail,
        }}
        onFinish={(v) => void save(v)}
      >
        <Form.Item
          name="manager_name"
          label={L.manager_name}
          rules={[required(L.manager_name), maxLength(100)]}
        >
          <TextInput maxLength={100} />
        </Form.Item>
        <Form.Item
          name="email"
          label={L.email}
          dependencies={['daily_mail']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_rule, value: string | undefined) => {
                const text = value ? normalizeText(value) : '';
                if (!text && getFieldValue('daily_mail'))
                  return Promise.reject(new Error(`${DAILY_MAIL_NEEDS_EMAIL}.`));
                if (text && !isValidEmail(text))
                  return Promise.reject(new Error('نشانی پست الکترونیکی معتبر نیست (مانند name@bank.ir).'));
                return Promise.resolve();
              },
            }),
          ]}
        >
          <TextInput ltr maxLength={254} style={{ maxWidth: 320 }} />
        </Form.Item>
        <Form.Item
          name="mobile"
          label={L.mobile}
          rules={[
            {
              validator: (_rule, value: string | undefined) =>
                !value || normalizeMobile(value)
                  ? Promise.resolve()
                  : Promise.reject(new Error('شماره تلفن همراه معتبر نیست (مانند 09121234567).')),
            },
          ]}
        >
          <TextInput ltr maxLength={20} style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item
          name="daily_mail"
          label={L.daily_mail}
          valuePropName="checked"
          extra="هر روز کاری، گزارش فعالیت آن روز استان (اطلاعات دریافتی، اطلاع‌رسانی‌ها و پیگیری پرونده‌ها) به این نشانی فرستاده می‌شود؛ ساعت آن در «تنظیمات سیستم» است."
        >
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
