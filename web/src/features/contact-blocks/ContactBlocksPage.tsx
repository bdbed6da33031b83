/**
 * «فهرست عدم تماس» (issue 5 point 4, B1): people whose SMS, calls and e-mails are held back, found by
 * national code or mobile; added and edited in a dialog, lifted with a confirmation. HQ only.
 */
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Modal, Space, Tabs, Tag } from 'antd';
import { useState } from 'react';
import {
  AT_LEAST_ONE_PERSON_KEY,
  CONTACT_BLOCK_LABELS as L,
  type ContactBlock,
} from '@vosul/common/contact-blocks';
import { normalizeMobile, normalizeNationalCode } from '@vosul/common/validators';
import {
  DataTable,
  JalaliDatePicker,
  NumberText,
  TextArea,
  TextInput,
  maxLength,
  required,
  useFormSave,
} from '../../components';
import { api, errorMessage } from '../../lib/api';
import { formatJalaliDate, toPersianDigits } from '../../lib/format';
import { SmsReplies } from './SmsReplies';

const CONTACT_BLOCKS_API = '/api/v1/contact-blocks';

interface Values {
  national_code: string;
  mobile: string;
  reason: string;
  until: string | null;
}

export default function ContactBlocksPage() {
  const { modal, message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState<ContactBlock | 'new' | null>(null);

  const refresh = () => client.invalidateQueries({ queryKey: [CONTACT_BLOCKS_API] });

  const lift = (block: ContactBlock) =>
    modal.confirm({
      title: 'رفع عدم تماس',
      content: `تماس با ${block.person_name || toPersianDigits(block.national_code ?? block.mobile ?? '')} از برنامه بعدی دوباره مجاز شود؟`,
      okText: 'رفع',
      cancelText: 'انصراف',
      onOk: async () => {
        try {
          await api.delete(`${CONTACT_BLOCKS_API}/${block.id}`);
          void message.success('عدم تماس رفع شد.');
          await refresh();
        } catch (e) {
          void message.error(errorMessage(e));
        }
      },
    });

  return (
    <>
      <Tabs
        destroyOnHidden
        items={[
          {
            key: 'blocks',
            label: 'فهرست عدم تماس',
            children: (
              <DataTable<ContactBlock>
                base={CONTACT_BLOCKS_API}
                createPath={null}
                editPath={null}
                deletable={false}
                searchHint="کد ملی، تلفن همراه، نام یا دلیل"
                defaultSort={{ sort: 'created_at', order: 'desc' }}
                toolbar={
                  <Button type="primary" onClick={() => setEditing('new')}>
                    افزودن شخص
                  </Button>
                }
                columns={[
                  { key: 'person_name', title: L.person_name },
                  { key: 'national_code', title: L.national_code, type: 'number' },
                  { key: 'mobile', title: L.mobile, type: 'number' },
                  { key: 'reason', title: L.reason, ellipsis: true },
                  {
                    key: 'until',
                    title: L.until,
                    render: (b) => (b.until ? formatJalaliDate(b.until) : 'تا رفع'),
                  },
                  {
                    key: 'active',
                    title: 'وضعیت',
                    render: (b) => (b.active ? <Tag color="red">برقرار</Tag> : <Tag>پایان‌یافته</Tag>),
                  },
                  { key: 'created_by_name', title: L.created_by_name },
                  { key: 'created_at', title: L.created_at, type: 'datetime' },
                  {
                    key: 'actions',
                    title: 'عملیات',
                    sortable: false,
                    render: (b) => (
                      <Space size="small">
                        <Button size="small" onClick={() => setEditing(b)}>
                          ویرایش
                        </Button>
                        <Button size="small" danger onClick={() => lift(b)}>
                          رفع
                        </Button>
                      </Space>
                    ),
                  },
                ]}
              />
            ),
          },
          { key: 'replies', label: 'پیامک‌های دریافتی و انصراف‌ها', children: <SmsReplies /> },
        ]}
      />
      {editing && (
        <BlockModal
          record={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void message.success('فهرست عدم تماس ذخیره شد.');
            void refresh();
          }}
        />
      )}
    </>
  );
}

function BlockModal({
  record,
  onClose,
  onSaved,
}: {
  record: ContactBlock | null;
  onClose: () => void;
  onSaved: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const { save, saving, error } = useFormSave(form, async (values: Values) => {
    const body = {
      national_code: values.national_code || null,
      mobile: values.mobile || null,
      reason: values.reason,
      until: values.until ?? null,
    };
    if (record) await api.patch(`${CONTACT_BLOCKS_API}/${record.id}`, { ...body, version: record.version });
    else await api.post(CONTACT_BLOCKS_API, body);
    onSaved();
  });

  return (
    <Modal
      open
      title={record ? 'ویرایش عدم تماس' : 'افزودن به فهرست عدم تماس'}
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
        name="contact-block"
        layout="vertical"
        initialValues={
          record
            ? {
                national_code: record.national_code ?? '',
                mobile: record.mobile ?? '',
                reason: record.reason,
                until: record.until,
              }
            : { national_code: '', mobile: '', reason: '', until: null }
        }
        onFinish={(v) => void save(v)}
      >
        <Form.Item
          name="national_code"
          label={L.national_code}
          dependencies={['mobile']}
          rules={[
            ({ getFieldValue }) => ({
              validator: (_rule, value: string | undefined) => {
                if (!value && !getFieldValue('mobile'))
                  return Promise.reject(new Error(AT_LEAST_ONE_PERSON_KEY));
                if (value && !normalizeNationalCode(value))
                  return Promise.reject(new Error('کد ملی معتبر نیست؛ ۱۰ رقم با رقم کنترل درست لازم است.'));
                return Promise.resolve();
              },
            }),
          ]}
        >
          <NumberText maxLength={10} style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item
          name="mobile"
          label={L.mobile}
          extra="کد ملی یا تلفن همراه (یا هر دو)؛ نام شخص از اطلاعات مشتریان پر می‌شود."
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
        <Form.Item name="reason" label={L.reason} rules={[required(L.reason), maxLength(500)]}>
          <TextArea rows={3} />
        </Form.Item>
        <Form.Item name="until" label={L.until} extra="خالی: تا زمانی که رفع شود.">
          <JalaliDatePicker allowClear />
        </Form.Item>
      </Form>
    </Modal>
  );
}
