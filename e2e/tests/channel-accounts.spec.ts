import { expect, test, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { ADMIN_USERNAME, adminPassword } from '../support/env.js';
import { startFakeKavenegar } from '../../server/src/peers/kavenegar.js';
import { startFakeSmsc } from '../../server/src/peers/smpp.js';
import { fa, logInAsAdmin, openFromMenu } from './helpers.js';

const API = '/api/v1/settings/channels';
const API_KEY = 'e2e-kavenegar-api-key-7391';

/** Back to no SMS account (every spec shares one database; a secret cannot be restored from GET). */
async function resetSms(request: APIRequestContext): Promise<void> {
  const login = await request.post('/api/v1/auth/login', {
    data: { username: ADMIN_USERNAME, password: adminPassword() },
  });
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  const res = await request.patch(API, {
    data: {
      sms: { provider: 'simulator', line: '', username: '', secret: '', api_url: '', host: '', port: null },
    },
    headers: { 'x-csrf-token': csrf },
  });
  expect(res.ok(), await res.text()).toBe(true);
}

/** Chooses an option of a plain (not searchable) antd select by its label. */
async function choose(page: Page, select: Locator, label: string): Promise<void> {
  await select.click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(label, { exact: true }).click();
}

async function reloadCard(page: Page): Promise<Locator> {
  await page.reload();
  await expect(page.getByRole('heading', { name: 'حساب‌های سرویس‌دهنده', exact: true })).toBeVisible({
    timeout: 20_000,
  });
  return page.locator('form#channel-accounts');
}

test('an administrator sets the SMS account; the key comes back only as set with its last 4 digits and is kept on the next save', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await resetSms(request);
  try {
    await logInAsAdmin(page);
    await openFromMenu(page, 'تنظیمات سیستم');
    let card = page.locator('form#channel-accounts');
    await expect(
      card.getByText('تا راه‌اندازی سرویس‌دهنده واقعی، ارسال از شبیه‌ساز انجام می‌شود.'),
    ).toBeVisible();
    const key = () => card.getByLabel('گذرواژه یا کلید API پیامک', { exact: true });
    await expect(key()).toHaveAttribute('placeholder', 'تنظیم نشده');

    // ---- provider, line in Persian digits, API key; save ----
    await choose(page, card.getByLabel('سرویس‌دهنده پیامک', { exact: true }), 'کاوه‌نگار (REST)');
    await card.getByLabel('شماره خط ارسال پیامک', { exact: true }).fill('۳۰۰۰۴۵۶۷');
    await key().fill(API_KEY);
    await card.getByRole('button', { name: 'ذخیره', exact: true }).click();
    await expect(page.getByText('حساب‌های سرویس‌دهنده ذخیره شد.')).toBeVisible();

    // ---- after a reload: the key only as set with its last 4 in Persian digits, the line kept ----
    card = await reloadCard(page);
    await expect(key()).toHaveValue('');
    await expect(key()).toHaveAttribute('placeholder', `تنظیم شده (…${fa(7391)})`);
    await expect(card.getByLabel('شماره خط ارسال پیامک', { exact: true })).toHaveValue('30004567');
    await expect(card.getByText('کاوه‌نگار (REST)', { exact: true })).toBeVisible();
    expect(await page.content()).not.toContain(API_KEY);

    // ---- another save without touching the key keeps it ----
    await card.getByLabel('نام کاربری پیامک', { exact: true }).fill('bank-user');
    await card.getByRole('button', { name: 'ذخیره', exact: true }).click();
    await expect(page.getByText('حساب‌های سرویس‌دهنده ذخیره شد.')).toBeVisible();
    card = await reloadCard(page);
    await expect(card.getByLabel('نام کاربری پیامک', { exact: true })).toHaveValue('bank-user');
    await expect(key()).toHaveAttribute('placeholder', `تنظیم شده (…${fa(7391)})`);
    const saved = (await (await page.request.get(API)).json()) as { sms: { secret: unknown } };
    expect(saved.sms.secret).toEqual({ set: true, last4: '…7391' });

    // ---- clearing the key of a real provider is refused under the key's field ----
    await card.getByRole('button', { name: 'پاک کردن', exact: true }).click();
    await expect(key()).toHaveAttribute('placeholder', 'با ذخیره پاک می‌شود');
    await card.getByRole('button', { name: 'ذخیره', exact: true }).click();
    const keyItem = card
      .locator('.ant-form-item')
      .filter({ has: page.getByLabel('گذرواژه یا کلید API پیامک', { exact: true }) });
    await expect(keyItem.locator('.ant-form-item-explain-error')).toContainText(
      'گذرواژه یا کلید API پیامک برای کاوه‌نگار (REST) لازم است',
    );
    card = await reloadCard(page);
    await expect(key()).toHaveAttribute('placeholder', `تنظیم شده (…${fa(7391)})`);
  } finally {
    await resetSms(request);
  }
});

test('«آزمایش اتصال» shows what Kavenegar answered to the saved account: its credit, or why it refuses', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  // a local Kavenegar that answers as the published API (the one the server's tests use)
  const kavenegar = await startFakeKavenegar({ apiKey: API_KEY, credit: 4_560_000 });
  await resetSms(request);
  try {
    await logInAsAdmin(page);
    await openFromMenu(page, 'تنظیمات سیستم');
    const card = page.locator('form#channel-accounts');
    await choose(page, card.getByLabel('سرویس‌دهنده پیامک', { exact: true }), 'کاوه‌نگار (REST)');
    await card.getByLabel('شماره خط ارسال پیامک', { exact: true }).fill('30004567');
    await card.getByLabel('گذرواژه یا کلید API پیامک', { exact: true }).fill(API_KEY);
    await card
      .getByLabel('نشانی وب‌سرویس پیامک (خالی: نشانی رسمی کاوه‌نگار)', { exact: true })
      .fill(kavenegar.url);
    await card.getByRole('button', { name: 'ذخیره', exact: true }).click();
    await expect(page.getByText('حساب‌های سرویس‌دهنده ذخیره شد.')).toBeVisible();

    await card.getByTestId('channel-test-sms').click();
    await expect(card.getByTestId('channel-test-sms-result')).toContainText(
      `حساب فعال است؛ اعتبار باقی‌مانده ${fa('4,560,000').replaceAll(',', '٬')} ریال`,
    );

    // a key Kavenegar never issued: its own words
    await card.getByLabel('گذرواژه یا کلید API پیامک', { exact: true }).fill('a-key-kavenegar-never-issued');
    await card.getByRole('button', { name: 'ذخیره', exact: true }).click();
    // the first save's notice may still be showing
    await expect(page.getByText('حساب‌های سرویس‌دهنده ذخیره شد.').last()).toBeVisible();
    await card.getByTestId('channel-test-sms').click();
    await expect(card.getByTestId('channel-test-sms-result')).toContainText('کلید API معتبر نیست');
  } finally {
    await resetSms(request);
    await kavenegar.close();
  }
});

test('an administrator sets an SMSC (SMPP) account; «آزمایش اتصال» binds and says what the SMSC answered', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  // a local SMSC made with the same `smpp` package as the server's tests
  const smsc = await startFakeSmsc({ systemId: 'bank_esme', password: 'smpp-e2e-pass' });
  await resetSms(request);
  try {
    await logInAsAdmin(page);
    await openFromMenu(page, 'تنظیمات سیستم');
    const card = page.locator('form#channel-accounts');
    await choose(page, card.getByLabel('سرویس‌دهنده پیامک', { exact: true }), 'مرکز پیامک (SMPP)');
    await card.getByLabel('شماره خط ارسال پیامک', { exact: true }).fill(fa('98100200'));
    await card.getByLabel('نشانی مرکز پیامک (SMPP)', { exact: true }).fill(smsc.host);
    await card.getByLabel('درگاه مرکز پیامک (SMPP)', { exact: true }).fill(fa(String(smsc.port)));
    await card.getByLabel('نام کاربری پیامک', { exact: true }).fill('bank_esme');
    await card.getByLabel('گذرواژه یا کلید API پیامک', { exact: true }).fill('smpp-e2e-pass');
    await card.getByRole('button', { name: 'ذخیره', exact: true }).click();
    await expect(page.getByText('حساب‌های سرویس‌دهنده ذخیره شد.')).toBeVisible();

    await card.getByTestId('channel-test-sms').click();
    await expect(card.getByTestId('channel-test-sms-result')).toContainText(
      'اتصال با شناسه bank_esme را پذیرفت',
    );
    expect(smsc.counts.binds).toBe(1);

    // a password the SMSC refuses: its own words
    await card.getByLabel('گذرواژه یا کلید API پیامک', { exact: true }).fill('not-the-password');
    await card.getByRole('button', { name: 'ذخیره', exact: true }).click();
    await expect(page.getByText('حساب‌های سرویس‌دهنده ذخیره شد.').last()).toBeVisible();
    await card.getByTestId('channel-test-sms').click();
    await expect(card.getByTestId('channel-test-sms-result')).toContainText('گذرواژه SMPP نادرست است');
  } finally {
    await resetSms(request);
    await smsc.close();
  }
});
