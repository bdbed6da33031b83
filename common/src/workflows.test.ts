import { describe, expect, it } from 'vitest';
import {
  dayRangeLabel,
  dayRangeProblem,
  renderTemplate,
  requiredTemplates,
  smsParts,
  unknownPlaceholders,
  workflowInputSchema,
  workflowPatchSchema,
} from './workflows.js';

const valid = {
  title: 'یادآوری معوق ۱ تا ۳۰',
  loan_type_codes: ['L1'],
  from_day: 1,
  to_day: 30,
  channels: ['sms'],
  recipients: ['borrower'],
  start_time: '9:00',
  templates: [{ channel: 'sms', recipient_role: 'borrower', text: 'سلام {{borrower_last_name}}' }],
};

describe('template placeholders', () => {
  it('names each unknown placeholder once and accepts the catalogue ones', () => {
    expect(
      unknownPlaceholders('{{gender_title}} {{ borrower_last_name }} {{foo}} {{foo}} {{ bar }}'),
    ).toEqual(['foo', 'bar']);
    expect(unknownPlaceholders('بدون جای‌نگهدار {تک}')).toEqual([]);
  });

  it('renders names as they are, numbers in Persian digits, amounts with separators, dates in Jalali', () => {
    const text = renderTemplate(
      '{{gender_title}} {{borrower_first_name}} {{borrower_last_name}}، تسهیلات {{facility_no}} ' +
        '{{overdue_days}} روز معوق است؛ مبلغ {{overdue_amount}} ریال، سررسید {{due_date}}. {{unknown}}',
      {
        gender_title: 'F',
        borrower_first_name: 'زهرا',
        borrower_last_name: 'محمدی',
        facility_no: '8800123',
        overdue_days: 45,
        overdue_amount: '32000000',
        due_date: '2024-07-22',
      },
    );
    expect(text).toBe(
      'سرکار خانم زهرا محمدی، تسهیلات ۸۸۰۰۱۲۳ ۴۵ روز معوق است؛ مبلغ ۳۲٬۰۰۰٬۰۰۰ ریال، سررسید ۱۴۰۳/۰۵/۰۱. {{unknown}}',
    );
    expect(renderTemplate('{{gender_title}} {{guarantor_last_name}}', { gender_title: null })).toBe(
      'جناب آقای/سرکار خانم ',
    );
    expect(renderTemplate('{{gender_title}}', { gender_title: 'M' })).toBe('جناب آقای');
  });

  it('asks for one template per channel and recipient, guarantors as the guarantor role', () => {
    expect(requiredTemplates(['call', 'sms'], ['guarantors', 'borrower'])).toEqual([
      { channel: 'sms', recipient_role: 'borrower' },
      { channel: 'sms', recipient_role: 'guarantor' },
      { channel: 'call', recipient_role: 'borrower' },
      { channel: 'call', recipient_role: 'guarantor' },
    ]);
  });
});

describe('SMS parts', () => {
  it('counts Persian as UCS-2: 70 in one part, 67 per part when longer', () => {
    expect(smsParts('س'.repeat(70))).toEqual({ characters: 70, parts: 1, encoding: 'ucs2' });
    expect(smsParts('س'.repeat(71))).toEqual({ characters: 71, parts: 2, encoding: 'ucs2' });
    expect(smsParts('س'.repeat(134))).toEqual({ characters: 134, parts: 2, encoding: 'ucs2' });
    expect(smsParts('س'.repeat(135))).toEqual({ characters: 135, parts: 3, encoding: 'ucs2' });
    // one Persian letter in Latin text makes the whole message UCS-2
    expect(smsParts('a'.repeat(100) + 'ب').encoding).toBe('ucs2');
  });

  it('counts Latin text as GSM-7: 160 / 153, extension characters taking two', () => {
    expect(smsParts('a'.repeat(160))).toEqual({ characters: 160, parts: 1, encoding: 'gsm7' });
    expect(smsParts('a'.repeat(161))).toEqual({ characters: 161, parts: 2, encoding: 'gsm7' });
    expect(smsParts('a'.repeat(306)).parts).toBe(2);
    expect(smsParts('a'.repeat(307)).parts).toBe(3);
    expect(smsParts('[]').characters).toBe(4);
    expect(smsParts('')).toEqual({ characters: 0, parts: 0, encoding: 'gsm7' });
  });
});

describe('day ranges', () => {
  it('takes overdue ranges from day 1 and reminders wholly before the due date, never across 0', () => {
    expect(dayRangeProblem(1, 30)).toBeNull();
    expect(dayRangeProblem(31, null)).toBeNull();
    expect(dayRangeProblem(-3, -1)).toBeNull();
    expect(dayRangeProblem(30, 1)?.field).toBe('to_day');
    expect(dayRangeProblem(-3, 5)?.message).toContain('صفر');
    expect(dayRangeProblem(0, 5)?.field).toBe('from_day');
    expect(dayRangeProblem(-3, null)).not.toBeNull();
    expect(dayRangeProblem(-1, -3)?.field).toBe('to_day');
  });

  it('says a range in Persian words', () => {
    expect(dayRangeLabel(31, 60)).toBe('روزهای ۳۱ تا ۶۰');
    expect(dayRangeLabel(61, null)).toBe('۶۱ روز و بیشتر');
    expect(dayRangeLabel(-3, -1)).toBe('۳ تا ۱ روز پیش از سررسید');
    expect(dayRangeLabel(30, 30)).toBe('روز ۳۰');
  });
});

describe('workflow contract', () => {
  it('normalises typed values and fills the defaults', () => {
    const parsed = workflowInputSchema.parse({
      ...valid,
      from_day: '۱',
      min_overdue_amount: '۱٬۰۰۰٬۰۰۰',
      channels: ['sms', 'sms'],
    });
    expect(parsed).toMatchObject({
      from_day: 1,
      min_overdue_amount: '1000000',
      start_time: '09:00',
      branch_codes: [],
      per_day: 1,
      interval_minutes: 0,
      repeat_every_days: 0,
      active: true,
      channels: ['sms'],
    });
  });

  it('refuses an unknown placeholder under the template text, naming it', () => {
    const result = workflowInputSchema.safeParse({
      ...valid,
      templates: [{ channel: 'sms', recipient_role: 'borrower', text: 'سلام {{nick_name}}' }],
    });
    expect(result.success).toBe(false);
    const issue = result.error!.issues[0]!;
    expect(issue.path).toEqual(['templates', 0, 'text']);
    expect(issue.message).toContain('{{nick_name}}');
  });

  it('refuses a range across day 0 on create and on a patch naming both ends', () => {
    const created = workflowInputSchema.safeParse({ ...valid, from_day: -5, to_day: 10 });
    expect(created.success).toBe(false);
    expect(created.error!.issues[0]!.path).toEqual(['to_day']);
    expect(workflowPatchSchema.safeParse({ version: 1, from_day: -5, to_day: 10 }).success).toBe(false);
    // one end alone is checked against the stored other end by the server
    expect(workflowPatchSchema.safeParse({ version: 1, from_day: -5 }).success).toBe(true);
  });
});
