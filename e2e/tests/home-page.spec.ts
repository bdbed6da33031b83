import { expect, test } from '@playwright/test';
import { fa, logInAsAdmin, mainMenu, openFromMenu, searchList, unique } from './helpers.js';

test('the administrator posts an announcement with a file and sees it, with the class chart, on the home page', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const id = unique();
  const code = `N${id}`;
  const title = `جلسه هماهنگی وصول ${id}`;

  await logInAsAdmin(page);
  await openFromMenu(page, 'مدیریت اعلان');
  await page.getByRole('button', { name: 'جدید', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'مدیریت اعلان - جدید' })).toBeVisible();

  const field = (label: string) => page.getByRole('textbox', { name: label, exact: true });
  await field('کد اعلان').fill(code);
  await field('عنوان').fill(title);
  await field('شرح').fill('جلسه ساعت ۱۰ در سالن اجتماعات برگزار می‌شود.');
  // the date defaults to today (Jalali), the status to active and the scope to general
  await expect(page.getByRole('radio', { name: 'فعال', exact: true })).toBeChecked();
  await expect(page.getByRole('radio', { name: 'عمومی (همه کاربران)' })).toBeChecked();
  await page.locator('input[type=file]').setInputFiles({
    name: 'بخشنامه.pdf',
    mimeType: 'application/pdf',
    buffer: Buffer.from('%PDF-1.4\n% vosul e2e\n'),
  });
  await expect(page.getByTestId('announcement-file-name')).toHaveText('بخشنامه.pdf');
  const uploaded = page.waitForResponse(
    (r) => r.request().method() === 'PUT' && r.url().endsWith('/file') && r.status() === 200,
  );
  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await uploaded;

  // back on the list: the new announcement with its author's date and file
  await expect(page.getByRole('heading', { level: 2, name: 'مدیریت اعلان', exact: true })).toBeVisible();
  await searchList(page, code);
  const row = page.getByRole('row').filter({ hasText: fa(title) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('فعال');
  await expect(row).toContainText('عمومی');
  await expect(row).toContainText('بخشنامه.pdf');

  // ---- the home page ----
  await mainMenu(page).getByRole('link', { name: 'صفحه اصلی' }).click();
  const announcements = page.getByTestId('home-announcements');
  const mine = announcements.getByTestId('home-announcement').filter({ hasText: fa(title) });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText('سالن اجتماعات');
  await expect(mine.getByRole('button', { name: /دریافت پیوست/ })).toBeVisible();

  // the collection picture: figures and the arrears-by-class chart, its classes named in Persian
  const dashboard = page.getByTestId('home-dashboard');
  await expect(dashboard.getByText('تسهیلات معوق', { exact: true })).toBeVisible();
  await expect(dashboard.getByText('مانده معوق به تفکیک طبقه')).toBeVisible();
  const classChart = page.getByTestId('chart-by-class');
  await expect(classChart.locator('svg')).toBeVisible();
  for (const label of ['جاری', 'سررسید گذشته', 'معوق', 'مشکوک‌الوصول'])
    // (each chart label is wrapped in a right-to-left embedding, U+202B … U+202C)
    await expect(
      classChart.locator('svg text', { hasText: new RegExp(`^\u202B?${label}\u202C?$`) }),
    ).toHaveCount(1);
  await expect(page.getByTestId('chart-by-range').locator('svg text', { hasText: 'تا ۳۰ روز' })).toHaveCount(
    1,
  );
});
