import { Form, Radio, Space } from 'antd';
import { PREPRINTED_FIELDS, PREPRINTED_FIELD_KEYS, type LetterSettings } from '@vosul/common/letters';
import { NumberText, TextInput } from '../../components';
import { SettingsCard } from './SettingsCard';

const LETTERS_API = '/api/v1/settings/letters';

type Values = LetterSettings;
const identity = (s: LetterSettings) => s;
/** The offsets as numbers (the inputs keep what was typed as text). */
const toBody = (v: Values) => ({
  ...v,
  preprinted: Object.fromEntries(
    PREPRINTED_FIELD_KEYS.map((k) => [k, { x: Number(v.preprinted[k].x), y: Number(v.preprinted[k].y) }]),
  ),
});

/**
 * «نامه‌ها و اخطاریه‌ها» (issue 6 point 6): the letterhead's bank name and signature block, and where
 * each field of a warning notice goes on the bank's pre-printed paper (پرفراژ), in millimetres from
 * the paper's top-right corner.
 */
export function LetterSettingsCard() {
  return (
    <SettingsCard<LetterSettings, Values>
      path={LETTERS_API}
      name="letter-settings"
      title="نامه‌ها و اخطاریه‌ها"
      savedMessage="تنظیمات نامه‌ها ذخیره شد."
      toValues={identity}
      toBody={toBody}
    >
      <Form.Item name="bank_name" label="نام بانک (سربرگ)">
        <TextInput maxLength={100} style={{ maxWidth: 360 }} />
      </Form.Item>
      <Form.Item name="signature" label="امضای نامه">
        <TextInput maxLength={200} style={{ maxWidth: 360 }} />
      </Form.Item>
      <Form.Item name="preprinted_paper" label="اندازه کاغذ پرفراژ">
        <Radio.Group
          options={[
            { value: 'A4', label: 'A4' },
            { value: 'A5', label: 'A5' },
          ]}
        />
      </Form.Item>
      {PREPRINTED_FIELD_KEYS.map((field) => (
        <Form.Item
          key={field}
          label={`جای «${PREPRINTED_FIELDS[field]}» (میلی‌متر از راست و از بالا)`}
          style={{ marginBottom: 8 }}
        >
          <Space>
            <Form.Item name={['preprinted', field, 'x']} noStyle>
              <NumberText
                allowDecimal
                style={{ width: 90 }}
                aria-label={`فاصله افقی ${PREPRINTED_FIELDS[field]}`}
              />
            </Form.Item>
            <Form.Item name={['preprinted', field, 'y']} noStyle>
              <NumberText
                allowDecimal
                style={{ width: 90 }}
                aria-label={`فاصله عمودی ${PREPRINTED_FIELDS[field]}`}
              />
            </Form.Item>
          </Space>
        </Form.Item>
      ))}
    </SettingsCard>
  );
}
