import { expect, test, type Locator } from '@playwright/test';
import { logInAsAdmin, openFromMenu, unique } from './helpers.js';

/** The box's border colour as [r, g, b]. */
async function borderRgb(box: Locator): Promise<number[]> {
  const colour = await box.evaluate((el) => getComputedStyle(el).borderTopColor);
  return (colour.match(/\d+/g) ?? []).slice(0, 3).map(Number);
}

const isRed = ([r = 0, g = 0, b = 0]: number[]) => r >= 150 && r - g >= 40 && r - b >= 40;

test('a required field left empty on the branch form turns red and the form is not sent', async ({
  page,
}) => {
  test.slow(); // sign-in, list and form: past the suite's 30 s default on a busy machine
  await logInAsAdmin(page);
  await openFromMenu(page, 'شعبه‌ها');
  await page.getByRole('button', { name: 'جدید', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'شعبه‌ها - جدید' })).toBeVisible();
  await expect(page.getByText('پرکردن کادرهای قرمز رنگ، اجباری است')).toBeVisible();

  const code = page.getByLabel('کد شعبه', { exact: true });
  const ip = page.getByLabel('نشانی IP', { exact: true });
  // Only the name is filled; the code (required) is left empty.
  await page.getByLabel('نام شعبه', { exact: true }).fill(`شعبه بی‌کد ${unique()}`);

  let posted = false;
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/v1/branches') posted = true;
  });
  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();

  await expect(page.getByText('کد شعبه را وارد کنید.')).toBeVisible();
  await expect(code).toHaveAttribute('aria-invalid', 'true');
  await expect.poll(() => borderRgb(code).then(isRed)).toBe(true);
  // An optional field keeps its ordinary border: red means «required».
  expect(isRed(await borderRgb(ip))).toBe(false);

  await expect(page).toHaveURL(/\/branches\/new$/);
  expect(posted).toBe(false);
});
