import { expect, test } from '@playwright/test';
import {
  fa,
  logIn,
  logInAsAdmin,
  mainMenu,
  openFromMenu,
  pickOption,
  searchList,
  unique,
} from './helpers.js';

test('the administrator sets up a branch and a collection officer, who sees only the officer pages', async ({
  page,
}) => {
  // Five screens, two sign-ins and some thirty server round trips: about 30 s on an idle machine,
  // well over a minute on a busy two-core one, so far beyond the suite's 30 s default.
  test.setTimeout(180_000);
  const id = unique();
  const provinceCode = `P${id}`;
  const provinceName = `استان آزمون ${id}`;
  const branchCode = id; // digits only: searched below with Persian digits
  const branchName = `شعبه آزمون ${id}`;
  const username = `officer.${id}`;
  const password = `Officer-Pass-${id}`;

  await logInAsAdmin(page);

  // ---- a province, since a branch must belong to one ----
  await openFromMenu(page, 'استان‌ها');
  await page.getByRole('button', { name: 'جدید', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'استان‌ها - جدید' })).toBeVisible();
  await page.getByLabel('کد استان', { exact: true }).fill(provinceCode);
  await page.getByLabel('نام استان', { exact: true }).fill(provinceName);
  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(page).toHaveURL(/\/provinces$/);
  await searchList(page, provinceCode);
  await expect(page.getByRole('cell', { name: fa(provinceName), exact: true })).toBeVisible();

  // ---- the branch ----
  await openFromMenu(page, 'شعبه‌ها');
  await page.getByRole('button', { name: 'جدید', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'شعبه‌ها - جدید' })).toBeVisible();
  await page.getByLabel('کد شعبه', { exact: true }).fill(branchCode);
  await page.getByLabel('نام شعبه', { exact: true }).fill(branchName);
  await pickOption(
    page,
    page.getByLabel('استان', { exact: true }),
    provinceName,
    fa(`${provinceCode} - ${provinceName}`),
  );
  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(page).toHaveURL(/\/branches$/);
  await expect(page.getByRole('heading', { level: 2, name: 'شعبه‌ها', exact: true })).toBeVisible();

  // Typed with Persian digits, normalised to Latin as typed; the list shows the code in Persian digits.
  await searchList(page, fa(branchCode));
  await expect(page.getByLabel('عبارت جستجو', { exact: true })).toHaveValue(branchCode);
  await expect(page).toHaveURL(new RegExp(`[?&]q=${branchCode}(&|$)`));
  const branchRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: fa(branchCode) }) });
  await expect(branchRow).toHaveCount(1);
  await expect(branchRow).toContainText(fa(branchName));
  await expect(branchRow).toContainText(fa(`${provinceCode} - ${provinceName}`));

  // ---- the collection officer of that branch ----
  await openFromMenu(page, 'کاربران');
  await page.getByRole('button', { name: 'جدید', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'کاربران - جدید' })).toBeVisible();
  await page.getByLabel('نام کاربری', { exact: true }).fill(username);
  await page.getByLabel('کلمه عبور', { exact: true }).fill(password);
  await page.getByLabel('نام', { exact: true }).fill('مریم');
  await page.getByLabel('نام خانوادگی', { exact: true }).fill('کریمی');
  await pickOption(page, page.getByLabel('گروه‌های دسترسی', { exact: true }), 'وصول', 'وصول مطالبات');
  await page.keyboard.press('Escape'); // close the multi-select's dropdown
  await expect(page.getByLabel('شعبه', { exact: true })).toBeChecked(); // محل خدمت
  await pickOption(
    page,
    page.getByLabel('کد شعبه', { exact: true }),
    branchCode,
    fa(`${branchCode} - ${branchName}`),
  );
  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(page).toHaveURL(/\/users$/);

  await searchList(page, username);
  const userRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: username }) });
  await expect(userRow).toHaveCount(1);
  await expect(userRow).toContainText(fa(`${branchCode} - ${branchName}`));
  await expect(userRow.getByRole('cell', { name: 'وصول مطالبات', exact: true })).toBeVisible();

  // ---- the officer signs in ----
  await page.getByRole('button', { name: 'خروج از سامانه' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await logIn(page, username, password);
  await expect(page.getByTestId('current-user')).toHaveText('مریم کریمی');

  const menu = mainMenu(page);
  await expect(menu.getByRole('link', { name: 'صفحه اصلی', exact: true })).toBeVisible();
  await expect(menu.getByRole('link', { name: 'تغییر کلمه عبور', exact: true })).toBeVisible();
  // Only the officer's pages (those with screens so far) and the screens open to everyone.
  const officerMenu = new Set([
    'صفحه اصلی',
    'تغییر کلمه عبور',
    'ثبت پیگیری با شماره مشتری',
    'مشاهده پیگیری‌های تخصیص‌یافته',
    'پرونده‌های معوق',
  ]);
  for (const entry of await menu.getByRole('link').allTextContents()) {
    expect(officerMenu, `menu entry «${entry}»`).toContain(entry.trim());
  }
  for (const adminItem of [
    'کاربران',
    'گروه‌ها',
    'جادوی کاربری',
    'شعبه‌ها',
    'استان‌ها',
    'تنظیمات سیستم',
    'گزارش ورود کاربران',
  ]) {
    await expect(menu.getByRole('link', { name: adminItem, exact: true })).toHaveCount(0);
  }

  // Typing the address of an admin screen does not open it.
  await page.goto('/users');
  await expect(
    page.getByRole('heading', { level: 1, name: 'دسترسی به این صفحه برای شما مجاز نیست' }),
  ).toBeVisible();
  await expect(page.getByRole('button', { name: 'جدید', exact: true })).toHaveCount(0);
});
