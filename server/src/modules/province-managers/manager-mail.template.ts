import { formatMoney, toPersianDigits } from '@vosul/common/text';
import { toJalali } from '@vosul/common/jalali';
import { CHANNELS, type Channel } from '@vosul/common/workflows';
import type { ChannelDayFigures, ProvinceDayFigures } from './province-managers.repository.js';

/** The day's mail to one province's manager: subject, a Persian RTL HTML body and its plain-text twin. */
export interface ManagerMail {
  subject: string;
  html: string;
  text: string;
}

const OUTBOX_COLUMNS = [
  ['planned', 'برنامه‌ریزی‌شده'],
  ['sent', 'ارسال‌شده'],
  ['delivered', 'تحویل‌شده'],
  ['failed', 'ناموفق'],
  ['held', 'نگه‌داشته'],
] as const satisfies readonly (readonly [keyof Omit<ChannelDayFigures, 'channel'>, string])[];

const n = (value: number) => toPersianDigits(value);

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function totalsOf(channels: readonly ChannelDayFigures[]): ChannelDayFigures {
  const total: ChannelDayFigures = {
    channel: 'total',
    planned: 0,
    held: 0,
    sent: 0,
    delivered: 0,
    failed: 0,
  };
  for (const c of channels) for (const [key] of OUTBOX_COLUMNS) total[key] += c[key];
  return total;
}

const channelLabel = (channel: string) => CHANNELS[channel as Channel] ?? channel;

/** The rows of the mail, as label → value, shared by the HTML and the text part. */
function sectionsOf(figures: ProvinceDayFigures) {
  return {
    intake: [
      ['تسهیلات جدید یا تغییرکرده در اطلاعات دریافتی', n(figures.imported_facilities)],
      ['پرداخت‌های دریافتی', n(figures.imported_payments)],
      ['مبلغ پرداخت‌های دریافتی (ریال)', formatMoney(figures.imported_amount)],
    ],
    followup: [
      ['درخواست‌های تغییر پرونده ثبت‌شده', n(figures.change_requests)],
      ['درخواست‌های تغییر پرونده بررسی‌شده', n(figures.change_reviews)],
    ],
  } as const;
}

/**
 * V7: the day's activity of a province for its manager — what the day's intake brought, what was
 * planned, sent, delivered, failed or held (per channel and in total), and the case follow-up — with
 * a Jalali date, Persian digits and Rials with separators.
 */
export function renderManagerMail(
  recipient: { province_name: string; manager_name: string },
  businessDate: string,
  figures: ProvinceDayFigures,
): ManagerMail {
  const day = toPersianDigits(toJalali(businessDate));
  const subject = `گزارش روزانه وصول مطالبات استان ${recipient.province_name} — ${day}`;
  const sections = sectionsOf(figures);
  const total = totalsOf(figures.channels);
  const rows = figures.channels.map((c) => ({ ...c, label: channelLabel(c.channel) }));
  const outboxRows = [...rows, { ...total, label: 'جمع' }];

  const cell = 'border:1px solid #d9d9d9;padding:6px 10px;';
  const keyValueTable = (items: readonly (readonly [string, string])[]) =>
    `<table style="border-collapse:collapse;margin-bottom:16px">${items
      .map(
        ([label, value]) =>
          `<tr><th style="${cell}text-align:right;background:#fafafa;font-weight:normal">${escapeHtml(label)}</th>` +
          `<td style="${cell}text-align:left">${escapeHtml(value)}</td></tr>`,
      )
      .join('')}</table>`;
  const outboxTable = rows.length
    ? `<table style="border-collapse:collapse;margin-bottom:16px"><tr><th style="${cell}background:#fafafa">کانال</th>${OUTBOX_COLUMNS.map(
        ([, label]) => `<th style="${cell}background:#fafafa">${label}</th>`,
      ).join('')}</tr>${outboxRows
        .map(
          (r) =>
            `<tr><th style="${cell}text-align:right;font-weight:normal">${escapeHtml(r.label)}</th>${OUTBOX_COLUMNS.map(
              ([key]) => `<td style="${cell}text-align:left">${n(r[key])}</td>`,
            ).join('')}</tr>`,
        )
        .join('')}</table>`
    : '<p>در این روز اطلاع‌رسانی‌ای برای استان برنامه‌ریزی نشد.</p>';

  const html = `<!DOCTYPE html>
<html lang="fa" dir="rtl"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body dir="rtl" style="font-family:Vazirmatn,Tahoma,sans-serif;direction:rtl;text-align:right;line-height:1.8">
<p>${escapeHtml(recipient.manager_name)} گرامی،</p>
<p>گزارش فعالیت سامانه وصول در استان ${escapeHtml(recipient.province_name)} در روز ${day}:</p>
<h3>اطلاعات دریافتی از سامانه بانکداری متمرکز</h3>
${keyValueTable(sections.intake)}
<h3>اطلاع‌رسانی‌ها</h3>
${outboxTable}
<h3>پیگیری پرونده‌ها</h3>
${keyValueTable(sections.followup)}
<p style="color:#888">این نامه را سامانه وصول به‌طور خودکار فرستاده است.</p>
</body></html>`;

  const line = (label: string, value: string) => `${label}: ${value}`;
  const text = [
    `${recipient.manager_name} گرامی،`,
    `گزارش فعالیت سامانه وصول در استان ${recipient.province_name} در روز ${day}:`,
    '',
    'اطلاعات دریافتی از سامانه بانکداری متمرکز',
    ...sections.intake.map(([label, value]) => line(label, value)),
    '',
    'اطلاع‌رسانی‌ها',
    ...(rows.length
      ? outboxRows.map(
          (r) => `${r.label} — ${OUTBOX_COLUMNS.map(([key, label]) => line(label, n(r[key]))).join('، ')}`,
        )
      : ['در این روز اطلاع‌رسانی‌ای برای استان برنامه‌ریزی نشد.']),
    '',
    'پیگیری پرونده‌ها',
    ...sections.followup.map(([label, value]) => line(label, value)),
    '',
    'این نامه را سامانه وصول به‌طور خودکار فرستاده است.',
  ].join('\n');

  return { subject, html, text };
}
