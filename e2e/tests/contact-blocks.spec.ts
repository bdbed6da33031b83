import { expect, test } from '@playwright/test';
import { fa, logInAsAdmin, openFromMenu, searchList, unique } from './helpers.js';

test('an administrator blocks a mobile typed in Persian digits until a date, finds it, and lifts the block', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const mobile = `0935${unique().slice(0, 7)}`;
  const reason = `درخواست کتبی مشتری ${unique()}`;

  await logInAsAdmin(page);
  await openFromMenu(page, 'فهرست عدم تماس');

  // ---- added in the dialog: the mobile in Persian digits, a reason, a Jalali end date ----
  await page.getByRole('button', { name: 'افزودن شخص', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('تلفن همراه', { exact: true }).fill(fa(mobile));
  await dialog.getByLabel('دلیل', { exact: true }).fill(reason);
  const until = dialog.getByLabel('تا تاریخ', { exact: true });
  await until.click();
  await until.fill(fa('1410/01/15'));
  await until.press('Enter');
  await dialog.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('فهرست عدم تماس ذخیره شد.')).toBeVisible();

  // ---- found by the mobile, typed in Persian digits too ----
  await searchList(page, fa(mobile));
  const row = page.locator('.ant-table-row').filter({ hasText: fa(mobile) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(fa(reason));
  await expect(row).toContainText(fa('1410/01/15'));
  await expect(row).toContainText('برقرار');

  // ---- lifted after a confirmation: gone from the list ----
  await row.getByRole('button', { name: 'رفع', exact: true }).click();
  const confirm = page.getByRole('dialog').filter({ hasText: 'رفع عدم تماس' });
  await confirm.getByRole('button', { name: 'رفع', exact: true }).click();
  await expect(page.getByText('عدم تماس رفع شد.')).toBeVisible();
  await expect(page.locator('.ant-table-row').filter({ hasText: fa(mobile) })).toHaveCount(0);

  // ---- beside it, the replies phones sent to the bank's lines (none yet on this server) ----
  await page.getByRole('tab', { name: 'پیامک‌های دریافتی و انصراف‌ها' }).click();
  await expect(page.getByRole('heading', { name: 'پیامک‌های دریافتی و انصراف‌ها («لغو۱۱»)' })).toBeVisible();
  await expect(page.getByPlaceholder('تلفن همراه یا متن پیامک')).toBeVisible();
});
