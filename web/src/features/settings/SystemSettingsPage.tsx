import { Typography } from 'antd';
import type { SecuritySettings } from '@vosul/common/settings';
import { SECURITY_LIMITS, type SecuritySettingKey } from '@vosul/common/settings-limits';
import { IntakeSettingsCard } from './IntakeSettingsCard';
import { DayRunSettingsCard } from './DayRunSettingsCard';
import { NotificationSettingsCard } from './NotificationSettingsCard';
import { ChannelAccountsCard } from './ChannelAccountsCard';
import { LetterSettingsCard } from './LetterSettingsCard';
import { LimitField, SettingsCard } from './SettingsCard';

const SECURITY_API = '/api/v1/settings/security';
const KEYS = Object.keys(SECURITY_LIMITS) as SecuritySettingKey[];

type SecurityValues = Record<SecuritySettingKey, string>;

const toValues = (settings: SecuritySettings) =>
  Object.fromEntries(KEYS.map((k) => [k, String(settings[k])])) as SecurityValues;
const toBody = (values: SecurityValues) => Object.fromEntries(KEYS.map((k) => [k, Number(values[k])]));

/** The «امنیت ورود» card: session idle limit, failures before lockout, lockout length (HQ edits). */
function SecurityCard() {
  return (
    <SettingsCard<SecuritySettings, SecurityValues>
      path={SECURITY_API}
      name="security-settings"
      title="امنیت ورود"
      savedMessage="تنظیمات ذخیره شد."
      toValues={toValues}
      toBody={toBody}
      hqOnlyNotice
    >
      {KEYS.map((key) => (
        <LimitField key={key} name={key} limit={SECURITY_LIMITS[key]} />
      ))}
    </SettingsCard>
  );
}

/** V8: system settings: sign-in, intake, daily run, notifications and the providers' accounts. */
export default function SystemSettingsPage() {
  return (
    <>
      <Typography.Title level={2} className="vosul-page-title" style={{ fontSize: 20, marginBottom: 16 }}>
        تنظیمات سیستم
      </Typography.Title>
      <SecurityCard />
      <div style={{ height: 16 }} />
      <IntakeSettingsCard />
      <div style={{ height: 16 }} />
      <DayRunSettingsCard />
      <div style={{ height: 16 }} />
      <NotificationSettingsCard />
      <div style={{ height: 16 }} />
      <ChannelAccountsCard />
      <div style={{ height: 16 }} />
      <LetterSettingsCard />
    </>
  );
}
