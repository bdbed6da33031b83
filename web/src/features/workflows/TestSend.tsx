import { Alert, Button, Form, Modal, Typography } from 'antd';
import { useState } from 'react';
import { CHANNELS, type Channel } from '@vosul/common/workflows';
import { TEST_SEND_CHANNELS, type TestSendChannel, type TestSendResult } from '@vosul/common/test-send';
import { isValidEmail, normalizeMobile } from '@vosul/common/validators';
import { normalizeText, toPersianDigits } from '@vosul/common/text';
import { TextInput, applyFieldError } from '../../components';
import { api, errorMessage } from '../../lib/api';

const TEST_SEND_API = '/api/v1/notifications/test-send';

const isSendable = (channel: Channel): channel is TestSendChannel =>
  Object.hasOwn(TEST_SEND_CHANNELS, channel);

/**
 * «ارسال آزمایشی» beside a template (V14): asks for a mobile (an e-mail address for e-mail) and sends
 * the rendered preview at once through the channel's provider, showing what the provider answered.
 * Letters are printed, not sent: no button for them.
 */
export function TestSendButton({ channel, text }: { channel: Channel; text: string | null }) {
  const [open, setOpen] = useState(false);
  if (!isSendable(channel)) return null;
  return (
    <>
      <Button size="small" disabled={!text} onClick={() => setOpen(true)}>
        ارسال آزمایشی
      </Button>
      {open && text && <TestSendDialog channel={channel} text={text} onClose={() => setOpen(false)} />}
    </>
  );
}

function TestSendDialog({
  channel,
  text,
  onClose,
}: {
  channel: TestSendChannel;
  text: string;
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ address: string }>();
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<TestSendResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const email = channel === 'email';
  const label = email ? 'نشانی پست الکترونیک' : 'شماره تلفن همراه';

  const send = async ({ address }: { address: string }) => {
    setSending(true);
    setError(null);
    setResult(null);
    try {
      setResult(await api.post<TestSendResult>(TEST_SEND_API, { channel, address, text }));
    } catch (e) {
      if (!applyFieldError(form, e)) setError(errorMessage(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <Modal
      open
      title={`ارسال آزمایشی ${CHANNELS[channel]}`}
      onCancel={onClose}
      destroyOnHidden
      okText="ارسال"
      cancelText="بستن"
      confirmLoading={sending}
      onOk={() => form.submit()}
    >
      <Form form={form} name="test-send" layout="vertical" onFinish={(v) => void send(v)}>
        <Form.Item
          name="address"
          label={label}
          rules={[
            { required: true, whitespace: true, message: `${label} را وارد کنید.` },
            {
              validator: (_rule, value: string | undefined) => {
                const v = normalizeText(value ?? '');
                if (!v || (email ? isValidEmail(v) : normalizeMobile(v))) return Promise.resolve();
                return Promise.reject(
                  new Error(
                    email
                      ? 'نشانی پست الکترونیکی معتبر نیست (مانند name@bank.ir).'
                      : 'شماره تلفن همراه معتبر نیست (مانند 09121234567).',
                  ),
                );
              },
            },
          ]}
        >
          <TextInput ltr placeholder={email ? 'name@bank.ir' : '09121234567'} autoFocus />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">متن (پیش‌نمایش):</Typography.Text>
      <div
        style={{
          whiteSpace: 'pre-wrap',
          background: '#f6f8fa',
          borderRadius: 6,
          padding: '6px 10px',
          margin: '4px 0 12px',
        }}
      >
        {text}
      </div>
      {result &&
        (result.accepted ? (
          <Alert
            type="success"
            showIcon
            role="status"
            title={`سرویس‌دهنده پیام را پذیرفت؛ شناسه: ${toPersianDigits(result.provider_id ?? '')}`}
          />
        ) : (
          <Alert type="error" showIcon role="alert" title={`ارسال نشد: ${result.error ?? ''}`} />
        ))}
      {error && <Alert type="error" showIcon role="alert" title={error} />}
    </Modal>
  );
}
