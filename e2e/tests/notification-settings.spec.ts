import { expect, test, type APIRequestContext } from '@playwright/test';
import { ADMIN_USERNAME, adminPassword } from '../support/env.js';
import { fa, logInAsAdmin, openFromMenu } from './helpers.js';

const API = '/api/v1/settings/notifications';

/** The settings as they were, put back after the test (every spec shares one database). */
async function restore(request: APIRequestContext, saved: unknown): Promise<void> {
  const login = await request.post('/api/v1/auth/login', {
    data: { username: ADMIN_USERNAME, password: adminPassword() },
  });
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  const res = await request.patch(API, { data: saved, headers: { 'x-csrf-token': csrf } });
  expect(res.ok(), await res.text()).toBe(true);
}

test('an administrator changes the SMS day cap and the service line; a bad value is refused under its field', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  await logInAsAdmin(page);
  const saved: unknown = await (await page.request.get(API)).json();
  try {
    await openFromMenu(page, 'تنظیمات سیستم');
    const card = page.locator('form#notification-settings');
    await expect(card.getByLabel('سقف پیامک هر شخص در روز', { exact: true })).toHaveValue('2');

    // ---- Persian digits typed: the day cap and the service line ----
    await card.getByLabel('سقف پیامک هر شخص در روز', { exact: true }).fill('۳');
    await card.getByLabel('شماره خط خدماتی', { exact: true }).fill('۳۰۰۰۱۲۳۴');
    await card.getByRole('button', { name: 'ذخیره', exact: true }).click();
    await expect(page.getByText('تنظیمات اطلاع‌رسانی ذخیره شد.')).toBeVisible();

    await page.reload();
    await expect(page.getByRole('heading', { level: 2, name: 'اطلاع‌رسانی', exact: true })).toBeVisible({
      timeout: 20_000,
    });
    const reloaded = page.locator('form#notification-settings');
    await expect(reloaded.getByLabel('سقف پیامک هر شخص در روز', { exact: true })).toHaveValue('3');
    await expect(reloaded.getByLabel('شماره خط خدماتی', { exact: true })).toHaveValue('30001234');

    // ---- a day cap above the week's (6) is refused by the server, under the week's field ----
    await reloaded.getByLabel('سقف پیامک هر شخص در روز', { exact: true }).fill('۹');
    await reloaded.getByRole('button', { name: 'ذخیره', exact: true }).click();
    const weekItem = reloaded.locator('.ant-form-item').filter({
      has: page.getByLabel('سقف پیامک هر شخص در هفته', { exact: true }),
    });
    await expect(weekItem.locator('.ant-form-item-explain-error')).toContainText(
      'سقف پیامک هر شخص در هفته نباید از سقف پیامک هر شخص در روز کمتر باشد',
    );

    // ---- a share above 1 is refused at once, under its own field ----
    await reloaded.getByLabel('سهم پیامک‌های تحویل‌شده', { exact: true }).fill('۱.۵');
    await reloaded.getByRole('button', { name: 'ذخیره', exact: true }).click();
    const shareItem = reloaded.locator('.ant-form-item').filter({
      has: page.getByLabel('سهم پیامک‌های تحویل‌شده', { exact: true }),
    });
    await expect(shareItem.locator('.ant-form-item-explain-error')).toContainText(
      `باید عددی از ${fa(0)} تا ${fa(1)} باشد`,
    );

    // nothing of the refused edits was kept
    await page.reload();
    await expect(page.getByRole('heading', { level: 2, name: 'اطلاع‌رسانی', exact: true })).toBeVisible({
      timeout: 20_000,
    });
    await expect(
      page.locator('form#notification-settings').getByLabel('سقف پیامک هر شخص در روز', { exact: true }),
    ).toHaveValue('3');
  } finally {
    await restore(request, saved);
  }
});
