import { expect, test } from '@playwright/test';
import { adminApi, fa, logInAsAdmin, openFromMenu, searchList, unique } from './helpers.js';

test('an HQ clerk records a province manager, typed in Persian digits, with the daily mail on', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const code = `PM${unique()}`;
  const name = `استان آزمون ${unique()}`;
  const api = await adminApi(request);
  await api.post('/api/v1/provinces', { code, name });

  await logInAsAdmin(page);
  await openFromMenu(page, 'اطلاعات مدیر استان');
  await searchList(page, name);
  const row = page.locator('.ant-table-row').filter({ hasText: fa(name) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('غیرفعال');

  await row.getByRole('button', { name: 'ویرایش', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`مدیر استان ${fa(name)}`);
  await dialog.getByLabel('نام مدیر استان', { exact: true }).fill('مریم رضایی');
  await dialog.getByLabel('تلفن همراه مدیر', { exact: true }).fill(fa('0912123456'));
  await dialog.getByRole('switch').click();
  await dialog.getByRole('button', { name: 'ذخیره', exact: true }).click();
  // a mobile one digit short and no address for the mail: said in Persian beside each field
  await expect(dialog.getByText('شماره تلفن همراه معتبر نیست (مانند 09121234567).')).toBeVisible();
  await expect(dialog.getByText('برای ارسال گزارش روزانه، پست الکترونیک مدیر را وارد کنید.')).toBeVisible();

  await dialog.getByLabel('تلفن همراه مدیر', { exact: true }).fill(fa('09121234567'));
  await dialog.getByLabel('پست الکترونیک مدیر', { exact: true }).fill('rezaei@bank.ir');
  await dialog.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('اطلاعات مدیر استان ذخیره شد.')).toBeVisible();

  await expect(row).toContainText('مریم رضایی');
  await expect(row).toContainText('rezaei@bank.ir');
  await expect(row).toContainText(fa('09121234567'));
  await expect(row).toContainText('فعال');
  await expect(row).not.toContainText('غیرفعال');
});
