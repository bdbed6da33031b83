import { Button, Form, Space, Switch, Typography, type FormInstance } from 'antd';
import { MERGED_PLACEHOLDERS } from '@vosul/common/workflows';
import {
  NOTIFICATION_LIMITS,
  NOTIFICATION_SETTING_LABELS as L,
  type NotificationSettings,
} from '@vosul/common/settings';
import { normalizeText, toPersianDigits } from '@vosul/common/text';
import { NumberText, TextArea, TextInput, maxLength, timeOfDay } from '../../components';
import { asText } from '../../lib/text';
import { LimitField, SettingsCard, SettingsGroup as Group } from './SettingsCard';

const NOTIFICATIONS_API = '/api/v1/settings/notifications';

type Sim = NotificationSettings['notification_simulator'];
type ShareKey =
  'retry' | 'invalid' | 'blocks_ads' | 'delivered' | 'failed' | 'answered' | 'no_answer' | 'busy';
const SHARES: readonly ShareKey[] = [
  'delivered',
  'failed',
  'answered',
  'no_answer',
  'busy',
  'invalid',
  'retry',
  'blocks_ads',
];
const SIM_NUMBERS = ['delay_seconds', 'latency_ms', 'per_second'] as const;
const RULE_NUMBERS = ['sms_per_day', 'sms_per_week', 'calls_per_day', 'calls_per_week'] as const;
const PRICE_NUMBERS = ['sms_part', 'call_minute', 'call_minutes'] as const;

/** The form's values: numbers typed as text (any digits), the rest as stored. */
interface Values {
  send_window_end: string;
  contact_rules: Record<(typeof RULE_NUMBERS)[number], string> & { quiet_from: string; quiet_to: string };
  merged_message_template: string;
  notification_prices: Record<(typeof PRICE_NUMBERS)[number], string>;
  sms_lines: { advertising: string; service: string };
  sms_opt_out: NotificationSettings['sms_opt_out'];
  notification_simulator: Record<ShareKey | (typeof SIM_NUMBERS)[number], string> & { down: boolean };
}

const texts = <K extends string>(keys: readonly K[], from: Record<K, number>) =>
  Object.fromEntries(keys.map((k) => [k, String(from[k])])) as Record<K, string>;
const numbers = <K extends string>(keys: readonly K[], from: Record<K, string>) =>
  Object.fromEntries(keys.map((k) => [k, Number(normalizeText(String(from[k])))])) as Record<K, number>;

const toValues = (s: NotificationSettings): Values => ({
  send_window_end: s.send_window_end,
  contact_rules: {
    ...texts(RULE_NUMBERS, s.contact_rules),
    quiet_from: s.contact_rules.quiet_from,
    quiet_to: s.contact_rules.quiet_to,
  },
  merged_message_template: s.merged_message_template,
  notification_prices: texts(PRICE_NUMBERS, s.notification_prices),
  sms_lines: { ...s.sms_lines },
  sms_opt_out: { ...s.sms_opt_out },
  notification_simulator: {
    ...texts<ShareKey | (typeof SIM_NUMBERS)[number]>([...SHARES, ...SIM_NUMBERS], s.notification_simulator),
    down: s.notification_simulator.down,
  },
});

const toBody = (v: Values) => ({
  send_window_end: v.send_window_end,
  contact_rules: {
    ...numbers(RULE_NUMBERS, v.contact_rules),
    quiet_from: v.contact_rules.quiet_from ?? '',
    quiet_to: v.contact_rules.quiet_to ?? '',
  },
  merged_message_template: v.merged_message_template,
  notification_prices: numbers(PRICE_NUMBERS, v.notification_prices),
  sms_lines: { advertising: v.sms_lines.advertising ?? '', service: v.sms_lines.service ?? '' },
  sms_opt_out: v.sms_opt_out,
  notification_simulator: {
    ...numbers<ShareKey | (typeof SIM_NUMBERS)[number]>(
      [...SHARES, ...SIM_NUMBERS],
      v.notification_simulator,
    ),
    down: v.notification_simulator.down,
  } satisfies Sim,
});

const limitOf = (key: keyof typeof NOTIFICATION_LIMITS) => ({ label: L[key], ...NOTIFICATION_LIMITS[key] });

/**
 * «اطلاع‌رسانی» (issue 5: V8, B1, B2, P5): the send window, contact rules, the merged message, prices,
 * SMS lines and the simulator provider, one group each; HQ edits. The next issue's provider accounts
 * add a group here whose secrets are sent only when retyped and shown back masked.
 */
export function NotificationSettingsCard() {
  return (
    <SettingsCard<NotificationSettings, Values>
      path={NOTIFICATIONS_API}
      name="notification-settings"
      title="اطلاع‌رسانی"
      savedMessage="تنظیمات اطلاع‌رسانی ذخیره شد."
      toValues={toValues}
      toBody={toBody}
    >
      <NotificationFields />
    </SettingsCard>
  );
}

function TimeField({
  name,
  label,
  extra,
  optional,
}: {
  name: string[] | string;
  label: string;
  extra?: string;
  optional?: boolean;
}) {
  return (
    <Form.Item
      name={name}
      label={label}
      extra={extra}
      rules={[...(optional ? [] : [{ required: true, message: `${label} را وارد کنید.` }]), timeOfDay(label)]}
    >
      <TextInput ltr style={{ maxWidth: 120 }} maxLength={5} placeholder={optional ? 'خالی' : undefined} />
    </Form.Item>
  );
}

const shareRule = (label: string) => ({
  validator: (_rule: unknown, value: unknown) => {
    const n = Number(normalizeText(asText(value)));
    return value !== '' && value !== undefined && n >= 0 && n <= 1
      ? Promise.resolve()
      : Promise.reject(new Error(`${label} باید عددی از ۰ تا ۱ باشد (مانند ۰٫۹۵).`));
  },
});

const lineRule = (label: string) => ({
  validator: (_rule: unknown, value: unknown) =>
    !value || /^\d{4,20}$/.test(normalizeText(asText(value)))
      ? Promise.resolve()
      : Promise.reject(new Error(`${label} باید فقط رقم و از ۴ تا ۲۰ رقم باشد (یا خالی).`)),
});

function NotificationFields() {
  const form = Form.useFormInstance<Values>();
  return (
    <>
      <Group title="ساعت ارسال">
        <TimeField
          name="send_window_end"
          label={L.send_window_end}
          extra="ساعت:دقیقه به وقت ایران؛ پس از آن هیچ پیامی در آن روز فرستاده نمی‌شود."
        />
      </Group>

      <Group title="قواعد تماس با هر شخص">
        <Typography.Paragraph type="secondary">
          هر شخص (وام‌گیرنده یا ضامن) با کد ملی، وگرنه با تلفن همراه شناخته می‌شود؛ سقف‌ها در همه گردش‌کارها
          روی هم شمرده می‌شوند و هفته، هفت روزِ تا تاریخ کاری است.
        </Typography.Paragraph>
        {RULE_NUMBERS.map((key) => (
          <LimitField key={key} name={['contact_rules', key]} limit={limitOf(key)} />
        ))}
        <TimeField name={['contact_rules', 'quiet_from']} label={L.quiet_from} optional />
        <TimeField
          name={['contact_rules', 'quiet_to']}
          label={L.quiet_to}
          optional
          extra="در این ساعات چیزی فرستاده نمی‌شود؛ هر دو خالی یعنی بدون ساعات سکوت."
        />
      </Group>

      <Group title="پیام تجمیعی">
        <MergedTemplate form={form} />
      </Group>

      <Group title="بهای ارسال (برای اجرای آزمایشی)">
        {PRICE_NUMBERS.map((key) => (
          <LimitField key={key} name={['notification_prices', key]} limit={limitOf(key)} />
        ))}
      </Group>

      <Group title="خطوط پیامک">
        <Form.Item
          name={['sms_lines', 'advertising']}
          label={L.advertising}
          extra="خطی که بیشتر پیامک‌ها از آن فرستاده می‌شود."
          rules={[lineRule(L.advertising)]}
        >
          <NumberText style={{ maxWidth: 240 }} maxLength={20} />
        </Form.Item>
        <Form.Item
          name={['sms_lines', 'service']}
          label={L.service}
          extra="پیامک شماره‌هایی که پیامک تبلیغاتی را بسته‌اند از این خط فرستاده می‌شود."
          rules={[lineRule(L.service)]}
        >
          <NumberText style={{ maxWidth: 240 }} maxLength={20} />
        </Form.Item>
      </Group>

      <Group title="انصراف از پیامک («لغو۱۱»)">
        <Typography.Paragraph type="secondary">
          شماره‌ای که در پاسخ «۱۱» بفرستد از دریافت پیامک‌های اطلاع‌رسانی انصراف داده است؛ اخطار قانونی همیشه
          فرستاده می‌شود.
        </Typography.Paragraph>
        {(['stop_reminder', 'stop_overdue_notice', 'append_text'] as const).map((key) => (
          <Form.Item key={key} name={['sms_opt_out', key]} label={L[key]} valuePropName="checked">
            <Switch aria-label={L[key]} />
          </Form.Item>
        ))}
      </Group>

      <Group title="سرویس‌دهنده شبیه‌ساز">
        <Typography.Paragraph type="secondary">
          تا حساب سرویس‌دهنده واقعی تنظیم نشده، پیامک، تماس و پست الکترونیک از شبیه‌ساز می‌گذرد؛ سهم‌ها عددی
          از ۰ تا ۱ است.
        </Typography.Paragraph>
        <Form.Item name={['notification_simulator', 'down']} label={L.down} valuePropName="checked">
          <Switch aria-label={L.down} />
        </Form.Item>
        {SHARES.map((key) => (
          <Form.Item
            key={key}
            name={['notification_simulator', key]}
            label={L[key]}
            rules={[shareRule(L[key])]}
          >
            <NumberText allowDecimal style={{ maxWidth: 120 }} maxLength={6} />
          </Form.Item>
        ))}
        {SIM_NUMBERS.map((key) => (
          <LimitField key={key} name={['notification_simulator', key]} limit={limitOf(key)} />
        ))}
      </Group>
    </>
  );
}

/** The merged message's text with its placeholders as chips (appended at the end). */
function MergedTemplate({ form }: { form: FormInstance<Values> }) {
  const insert = (key: string) => {
    const current = (form.getFieldValue('merged_message_template') as string | undefined) ?? '';
    form.setFieldValue('merged_message_template', `${current}{{${key}}}`);
    void form.validateFields(['merged_message_template']).catch(() => undefined);
  };
  return (
    <>
      <Space wrap size={[6, 6]} style={{ marginBottom: 8 }} aria-label="جای‌نگهدارهای پیام ادغام‌شده">
        {Object.entries(MERGED_PLACEHOLDERS).map(([key, { label }]) => (
          <Button key={key} size="small" onClick={() => insert(key)} title={`{{${key}}}`}>
            {label}
          </Button>
        ))}
      </Space>
      <Form.Item
        name="merged_message_template"
        label={L.merged_message_template}
        extra={`چند پیام یک روز به یک شخص در یک پیام با این متن فرستاده می‌شود؛ خالی یعنی بدون تجمیع. بیشینه ${toPersianDigits(2000)} نویسه.`}
        rules={[maxLength(2000)]}
      >
        <TextArea rows={3} />
      </Form.Item>
    </>
  );
}
