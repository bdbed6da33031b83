import { Form, Radio } from 'antd';
import {
  DAY_RUN_SETTING_LABELS,
  PAYMENT_POSTINGS,
  PAYMENT_POSTING_LABELS,
  type DayRunSettings,
} from '@vosul/common/settings';
import { TextInput, timeOfDay } from '../../components';
import { SettingsCard } from './SettingsCard';

const DAY_RUN_API = '/api/v1/settings/day-run';

const identity = (d: DayRunSettings) => d;

/** «اجرای روزانه» (issue 4): the daily run's time and where the core banking system posts payments (HQ edits). */
export function DayRunSettingsCard() {
  return (
    <SettingsCard<DayRunSettings, DayRunSettings>
      path={DAY_RUN_API}
      name="day-run-settings"
      title="اجرای روزانه"
      savedMessage="تنظیمات اجرای روزانه ذخیره شد."
      toValues={identity}
      toBody={identity}
    >
      <Form.Item
        name="day_run_time"
        label={DAY_RUN_SETTING_LABELS.day_run_time}
        extra="ساعت:دقیقه به وقت ایران، پس از دریافت اطلاعات از کربنکینگ؛ روزهای جاافتاده به ترتیب اجرا می‌شوند."
        rules={[
          { required: true, message: `${DAY_RUN_SETTING_LABELS.day_run_time} را وارد کنید.` },
          timeOfDay(DAY_RUN_SETTING_LABELS.day_run_time),
        ]}
      >
        <TextInput ltr style={{ maxWidth: 120 }} maxLength={5} />
      </Form.Item>
      <Form.Item
        name="manager_mail_time"
        label={DAY_RUN_SETTING_LABELS.manager_mail_time}
        extra="ساعت:دقیقه به وقت ایران؛ هر روز کاری، گزارش فعالیت آن روز هر استان یک بار برای مدیر آن (صفحه «اطلاعات مدیر استان») فرستاده می‌شود."
        rules={[
          { required: true, message: `${DAY_RUN_SETTING_LABELS.manager_mail_time} را وارد کنید.` },
          timeOfDay(DAY_RUN_SETTING_LABELS.manager_mail_time),
        ]}
      >
        <TextInput ltr style={{ maxWidth: 120 }} maxLength={5} />
      </Form.Item>
      <Form.Item
        name="payment_posting"
        label={DAY_RUN_SETTING_LABELS.payment_posting}
        extra="کربنکینگ پرداخت اقساط را به کدام سرفصل ثبت می‌کند؛ اسناد طبقه‌بندی تنها تفاوت باقی‌مانده را جابه‌جا می‌کنند."
      >
        <Radio.Group>
          {PAYMENT_POSTINGS.map((p) => (
            <Radio key={p} value={p}>
              {PAYMENT_POSTING_LABELS[p]}
            </Radio>
          ))}
        </Radio.Group>
      </Form.Item>
    </SettingsCard>
  );
}
