import { Form } from 'antd';
import type { IntakeSettings } from '@vosul/common/settings';
import { INTAKE_LABELS, INTAKE_LIMITS, type IntakeLimitKey } from '@vosul/common/settings-limits';
import { TextInput, timeOfDay } from '../../components';
import { LimitField, SettingsCard } from './SettingsCard';

const INTAKE_API = '/api/v1/settings/intake';
const NUMBER_KEYS = Object.keys(INTAKE_LIMITS) as IntakeLimitKey[];

interface IntakeValues {
  drop_folder: string;
  daily_time: string;
  retry_count: string;
  retry_delay_minutes: string;
}

const toValues = (d: IntakeSettings): IntakeValues => ({
  drop_folder: d.drop_folder,
  daily_time: d.daily_time,
  retry_count: String(d.retry_count),
  retry_delay_minutes: String(d.retry_delay_minutes),
});

const toBody = (values: IntakeValues) => ({
  drop_folder: values.drop_folder ?? '',
  daily_time: values.daily_time,
  retry_count: Number(values.retry_count),
  retry_delay_minutes: Number(values.retry_delay_minutes),
});

/** «دریافت اطلاعات از کربنکینگ» (V24): the drop folder, its daily time and the retries (HQ edits). */
export function IntakeSettingsCard() {
  return (
    <SettingsCard<IntakeSettings, IntakeValues>
      path={INTAKE_API}
      name="intake-settings"
      title="دریافت اطلاعات از کربنکینگ"
      savedMessage="تنظیمات دریافت اطلاعات ذخیره شد."
      toValues={toValues}
      toBody={toBody}
    >
      <Form.Item
        name="drop_folder"
        label={INTAKE_LABELS.drop_folder}
        extra="پوشه‌ای روی سرور که کربنکینگ اطلاعات روزانه را در آن می‌گذارد؛ خالی یعنی دریافت زمان‌بندی‌شده خاموش است. اطلاعات تنها وقتی برداشته می‌شود که manifest.csv آن نوشته شده باشد."
      >
        <TextInput ltr placeholder="/srv/vosul/drop" style={{ maxWidth: 420 }} />
      </Form.Item>
      <Form.Item
        name="daily_time"
        label={INTAKE_LABELS.daily_time}
        extra="ساعت:دقیقه به وقت ایران، مانند ۰۲:۳۰"
        rules={[
          { required: true, message: `${INTAKE_LABELS.daily_time} را وارد کنید.` },
          timeOfDay(INTAKE_LABELS.daily_time),
        ]}
      >
        <TextInput ltr style={{ maxWidth: 120 }} maxLength={5} />
      </Form.Item>
      {NUMBER_KEYS.map((key) => (
        <LimitField key={key} name={key} limit={INTAKE_LIMITS[key]} />
      ))}
    </SettingsCard>
  );
}
