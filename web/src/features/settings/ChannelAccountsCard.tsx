import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Form, Input, Select, Space, Switch, Typography } from 'antd';
import {
  CHANNEL_ACCOUNT_LABELS as L,
  IVR_PROVIDERS,
  IVR_PROVIDER_LABELS,
  SMS_BACKUP_PROVIDERS,
  SMS_BACKUP_PROVIDER_LABELS,
  SMS_PROVIDERS,
  SMS_PROVIDER_LABELS,
  SMTP_SECURITIES,
  SMTP_SECURITY_LABELS,
  type ChannelAccounts,
  type MaskedSecret,
} from '@vosul/common/settings';
import { isValidEmail } from '@vosul/common/validators';
import { normalizeText, toPersianDigits } from '@vosul/common/text';
import { useUser } from '../../app/auth';
import { NumberText, TextInput } from '../../components';
import { api } from '../../lib/api';
import { asText } from '../../lib/text';
import { SettingsCard, SettingsGroup as Group } from './SettingsCard';
import { ChannelTestButton } from './ChannelTestButton';

const CHANNELS_API = '/api/v1/settings/channels';

type GroupKey = keyof ChannelAccounts;

/**
 * A secret in the form: `secret` is only what is typed now (the stored one never comes to the
 * browser); `secret_clear` asks the server to clear the stored one.
 */
interface SecretValues {
  secret: string;
  secret_clear: boolean;
}
type Group<K extends GroupKey> = Omit<ChannelAccounts[K], 'secret' | 'port'> &
  SecretValues &
  ('port' extends keyof ChannelAccounts[K] ? { port: string } : unknown);
interface Values {
  sms: Group<'sms'>;
  sms_backup: Group<'sms_backup'>;
  email: Group<'email'>;
  ivr: Group<'ivr'>;
}

const portText = (port: number | null) => (port === null ? '' : String(port));
const secretEmpty: SecretValues = { secret: '', secret_clear: false };

const toValues = (a: ChannelAccounts): Values => ({
  sms: { ...a.sms, ...secretEmpty, port: portText(a.sms.port) },
  sms_backup: { ...a.sms_backup, ...secretEmpty, port: portText(a.sms_backup.port) },
  email: { ...a.email, ...secretEmpty, port: portText(a.email.port) },
  ivr: { ...a.ivr, ...secretEmpty },
});

/** A typed secret replaces, «پاک کردن» sends '' (clear), otherwise the field is left out (kept). */
const secretOf = (v: Partial<SecretValues>) => (v.secret ? v.secret : v.secret_clear ? '' : undefined);
/** Fields a provider does not show are left out, so the server keeps what they hold. */
const portOf = (port: string | undefined) =>
  port === undefined ? undefined : normalizeText(port) === '' ? null : Number(normalizeText(port));

const toBody = (v: Values) => {
  const group = <G extends Partial<SecretValues> & { port?: string }>({ secret_clear, ...g }: G) => {
    void secret_clear;
    return {
      ...g,
      secret: secretOf({ ...g, secret_clear }),
      ...('port' in g ? { port: portOf(g.port) } : {}),
    };
  };
  return { sms: group(v.sms), sms_backup: group(v.sms_backup), email: group(v.email), ivr: group(v.ivr) };
};

/**
 * «حساب‌های سرویس‌دهنده» (V8): the SMS gateway, e-mail and phone system accounts; HQ only. Secrets
 * are typed only to set or replace them and are shown back as set with at most their last 4
 * characters. Each group has its «آزمایش اتصال» (what the provider answers to the saved account).
 */
export function ChannelAccountsCard() {
  const user = useUser();
  if (user.scope !== 'hq')
    return (
      <Alert
        type="info"
        showIcon
        title="حساب‌های سرویس‌دهنده (پیامک، پست الکترونیک، تلفن گویا) را فقط کاربران ستاد می‌بینند."
      />
    );
  return (
    <SettingsCard<ChannelAccounts, Values>
      path={CHANNELS_API}
      name="channel-accounts"
      title="حساب‌های سرویس‌دهنده"
      savedMessage="حساب‌های سرویس‌دهنده ذخیره شد."
      toValues={toValues}
      toBody={toBody}
    >
      <ChannelAccountFields />
    </SettingsCard>
  );
}

const options = <K extends string>(keys: readonly K[], labels: Record<K, string>) =>
  keys.map((k) => ({ value: k, label: labels[k] }));

const portRule = (label: string) => ({
  validator: (_rule: unknown, value: unknown) => {
    const text = normalizeText(asText(value));
    const n = Number(text);
    return text === '' || (Number.isInteger(n) && n >= 1 && n <= 65_535)
      ? Promise.resolve()
      : Promise.reject(new Error(`${label} باید عددی صحیح از ۱ تا ۶۵۵۳۵ باشد.`));
  },
});

const digitsRule = (label: string, min: number, max: number) => ({
  validator: (_rule: unknown, value: unknown) =>
    !value || new RegExp(`^\\d{${min},${max}}$`).test(normalizeText(asText(value)))
      ? Promise.resolve()
      : Promise.reject(
          new Error(
            `${label} باید فقط رقم و از ${toPersianDigits(min)} تا ${toPersianDigits(max)} رقم باشد (یا خالی).`,
          ),
        ),
});

const emailRule = (label: string) => ({
  validator: (_rule: unknown, value: unknown) =>
    !value || isValidEmail(normalizeText(asText(value)))
      ? Promise.resolve()
      : Promise.reject(new Error(`${label} معتبر نیست (مانند collection@bank.ir).`)),
});

function ChannelAccountFields() {
  const form = Form.useFormInstance<Values>();
  // the card's own query (already loaded by SettingsCard): the masked secrets for the placeholders
  const saved = useQuery({
    queryKey: [CHANNELS_API],
    queryFn: ({ signal }) => api.get<ChannelAccounts>(CHANNELS_API, undefined, { signal }),
  }).data;
  const ivrProvider = Form.useWatch(['ivr', 'provider'], form);
  return (
    <>
      <Typography.Paragraph type="secondary">
        تا راه‌اندازی سرویس‌دهنده واقعی، ارسال از شبیه‌ساز انجام می‌شود.
      </Typography.Paragraph>

      <Group title="درگاه پیامک">
        <SmsAccountFields group="sms" providers={options(SMS_PROVIDERS, SMS_PROVIDER_LABELS)} saved={saved} />
      </Group>

      <Group title="سرویس‌دهنده دوم پیامک (در صورت از کار افتادن اولی)">
        <Typography.Paragraph type="secondary">
          وقتی سرویس‌دهنده اول در دسترس نیست یا اعتبارش تمام شده، پیامک‌ها از این سرویس‌دهنده فرستاده می‌شود و
          با بازگشت اولی، ارسال دوباره از آن انجام می‌شود.
        </Typography.Paragraph>
        <SmsAccountFields
          group="sms_backup"
          providers={options(SMS_BACKUP_PROVIDERS, SMS_BACKUP_PROVIDER_LABELS)}
          saved={saved}
        />
      </Group>

      <Group title="پست الکترونیک">
        <Form.Item name={['email', 'from']} label={L.email.from} rules={[emailRule(L.email.from)]}>
          <TextInput ltr style={{ maxWidth: 320 }} maxLength={254} placeholder="collection@bank.ir" />
        </Form.Item>
        <Form.Item name={['email', 'host']} label={L.email.host}>
          <TextInput ltr style={{ maxWidth: 280 }} maxLength={253} placeholder="smtp.bank.ir" />
        </Form.Item>
        <Form.Item name={['email', 'port']} label={L.email.port} rules={[portRule(L.email.port)]}>
          <NumberText style={{ maxWidth: 120 }} maxLength={5} placeholder="587" />
        </Form.Item>
        <Form.Item name={['email', 'security']} label={L.email.security}>
          <Select options={options(SMTP_SECURITIES, SMTP_SECURITY_LABELS)} style={{ maxWidth: 200 }} />
        </Form.Item>
        <Form.Item name={['email', 'username']} label={L.email.username}>
          <TextInput ltr autoComplete="off" style={{ maxWidth: 280 }} maxLength={200} />
        </Form.Item>
        <SecretField group="email" label={L.email.secret} masked={saved?.email.secret} />
        <ChannelTestButton group="email" />
      </Group>

      <Group title="سامانه تلفن گویا">
        <Form.Item name={['ivr', 'number']} label={L.ivr.number} rules={[digitsRule(L.ivr.number, 3, 20)]}>
          <NumberText style={{ maxWidth: 240 }} maxLength={20} />
        </Form.Item>
        <Form.Item name={['ivr', 'provider']} label={L.ivr.provider}>
          <Select options={options(IVR_PROVIDERS, IVR_PROVIDER_LABELS)} style={{ maxWidth: 280 }} />
        </Form.Item>
        {ivrProvider === 'asterisk_ari' && (
          <>
            <Form.Item name={['ivr', 'ari_url']} label={L.ivr.ari_url}>
              <TextInput
                ltr
                style={{ maxWidth: 360 }}
                maxLength={500}
                placeholder="http://10.0.0.5:8088/ari"
              />
            </Form.Item>
            <Form.Item
              name={['ivr', 'ari_app']}
              label={L.ivr.ari_app}
              extra="همان نامی که در ari.conf و برنامه Stasis مرکز تلفن تعریف شده است."
            >
              <TextInput ltr style={{ maxWidth: 200 }} maxLength={50} placeholder="vosul" />
            </Form.Item>
            <Form.Item
              name={['ivr', 'ari_endpoint']}
              label={L.ivr.ari_endpoint}
              extra="{number} جای شماره گیرنده؛ شماره سامانه تلفن گویا به عنوان شماره تماس‌گیرنده نمایش داده می‌شود."
            >
              <TextInput ltr style={{ maxWidth: 360 }} maxLength={200} placeholder="PJSIP/{number}@trunk" />
            </Form.Item>
            <Form.Item
              name={['ivr', 'ari_media_url']}
              label={L.ivr.ari_media_url}
              extra="نشانی‌ای که مرکز تلفن وصول را با آن می‌یابد؛ فایل صوتی هر تماس از همین‌جا پخش می‌شود. اگر خالی بماند، فایل‌ها باید در پوشه sounds/vosul مرکز تلفن با نام کدشان قرار گیرند."
            >
              <TextInput ltr style={{ maxWidth: 360 }} maxLength={500} placeholder="http://10.0.0.9:3000" />
            </Form.Item>
          </>
        )}
        {ivrProvider === 'kavenegar_tts' && <KavenegarUrlField group="ivr" />}
        <Form.Item name={['ivr', 'username']} label={L.ivr.username}>
          <TextInput ltr autoComplete="off" style={{ maxWidth: 280 }} maxLength={100} />
        </Form.Item>
        <SecretField group="ivr" label={L.ivr.secret} masked={saved?.ivr.secret} />
        <ChannelTestButton group="ivr" />
      </Group>
    </>
  );
}

/** What the empty secret box says: set (with at most its last 4), not set, or cleared on save. */
function secretPlaceholder(masked: MaskedSecret | undefined, clearing: boolean): string {
  if (clearing) return 'با ذخیره پاک می‌شود';
  if (!masked?.set) return 'تنظیم نشده';
  return masked.last4 ? `تنظیم شده (${toPersianDigits(masked.last4)})` : 'تنظیم شده';
}

/**
 * A secret: typed only to set or replace it (left empty, the saved one stays); a set one can be
 * cleared explicitly with «پاک کردن».
 */
function SecretField({
  group,
  label,
  masked,
}: {
  group: GroupKey;
  label: string;
  masked: MaskedSecret | undefined;
}) {
  const form = Form.useFormInstance<Values>();
  const clearing = Form.useWatch([group, 'secret_clear'], form) === true;
  const setClearing = (on: boolean) => {
    form.setFieldValue([group, 'secret_clear'], on);
    if (on) form.setFieldValue([group, 'secret'], '');
  };
  return (
    <>
      <Form.Item
        name={[group, 'secret']}
        label={label}
        extra={
          <Space size={8} wrap>
            <span>
              {masked?.set
                ? 'خالی بماند، همان مقدار ذخیره‌شده می‌ماند؛ مقدار تازه جایگزین آن می‌شود.'
                : 'تنها در صورت نیاز سرویس‌دهنده وارد کنید؛ پس از ذخیره دیگر نمایش داده نمی‌شود.'}
            </span>
            {masked?.set &&
              (clearing ? (
                <Button size="small" onClick={() => setClearing(false)}>
                  لغو پاک کردن
                </Button>
              ) : (
                <Button size="small" danger onClick={() => setClearing(true)}>
                  پاک کردن
                </Button>
              ))}
          </Space>
        }
      >
        <Input.Password
          className="vosul-ltr"
          autoComplete="new-password"
          style={{ maxWidth: 360 }}
          maxLength={500}
          placeholder={secretPlaceholder(masked, clearing)}
          onChange={(e) => {
            if (e.target.value && clearing) form.setFieldValue([group, 'secret_clear'], false);
          }}
        />
      </Form.Item>
      <Form.Item name={[group, 'secret_clear']} valuePropName="checked" hidden>
        <Switch />
      </Form.Item>
    </>
  );
}

/** Kavenegar's web service address: empty for the official one, or a bank's gateway to it. */
function KavenegarUrlField({ group }: { group: 'sms' | 'sms_backup' | 'ivr' }) {
  return (
    <Form.Item name={[group, 'api_url']} label={L[group].api_url}>
      <TextInput ltr style={{ maxWidth: 360 }} maxLength={500} placeholder="https://api.kavenegar.com" />
    </Form.Item>
  );
}

/** An SMS provider's account: the first one's or the second's (failover). */
function SmsAccountFields({
  group,
  providers,
  saved,
}: {
  group: 'sms' | 'sms_backup';
  providers: { value: string; label: string }[];
  saved: ChannelAccounts | undefined;
}) {
  const form = Form.useFormInstance<Values>();
  const provider = Form.useWatch([group, 'provider'], form);
  const labels = L[group];
  return (
    <>
      <Form.Item name={[group, 'provider']} label={labels.provider}>
        <Select options={providers} style={{ maxWidth: 280 }} />
      </Form.Item>
      <Form.Item
        name={[group, 'line']}
        label={labels.line}
        extra="شماره خطی که پیامک‌ها از آن فرستاده می‌شود."
        rules={[digitsRule(labels.line, 4, 20)]}
      >
        <NumberText style={{ maxWidth: 240 }} maxLength={20} />
      </Form.Item>
      <Form.Item name={[group, 'username']} label={labels.username}>
        <TextInput ltr autoComplete="off" style={{ maxWidth: 280 }} maxLength={100} />
      </Form.Item>
      <SecretField group={group} label={labels.secret} masked={saved?.[group].secret} />
      <ChannelTestButton group={group} />
      {provider === 'smpp' && (
        <>
          <Form.Item name={[group, 'host']} label={labels.host}>
            <TextInput ltr style={{ maxWidth: 280 }} maxLength={253} placeholder="smsc.example.ir" />
          </Form.Item>
          <Form.Item name={[group, 'port']} label={labels.port} rules={[portRule(labels.port)]}>
            <NumberText style={{ maxWidth: 120 }} maxLength={5} placeholder="2775" />
          </Form.Item>
          <Form.Item name={[group, 'system_type']} label={labels.system_type}>
            <TextInput ltr style={{ maxWidth: 200 }} maxLength={12} />
          </Form.Item>
        </>
      )}
      {provider === 'kavenegar' && <KavenegarUrlField group={group} />}
    </>
  );
}
