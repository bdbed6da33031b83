import { expect, test, type Page } from '@playwright/test';
import { adminApi, fa, logInAsAdmin, openFromMenu, pickOption, unique } from './helpers.js';

/** Chooses an option of a plain (not searchable) antd select by its shown label. */
async function choose(page: Page, name: string, label: string): Promise<void> {
  await page.getByRole('combobox', { name, exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(label, { exact: true }).click();
}

test('the administrator sees Nowruz in Farvardin 1405 and marks a province closure', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const id = unique();
  const provinceName = `استان تقویم ${id}`;
  const api = await adminApi(request);
  await api.post('/api/v1/provinces', { code: `C${id}`, name: provinceName });
  const provinceLabel = fa(`C${id} - ${provinceName}`);
  const title = `تعطیلی آزمون ${id}`;

  await logInAsAdmin(page);
  await openFromMenu(page, 'تقویم کاری و تعطیلات');

  // ---- Farvardin 1405: Nowruz (1 Farvardin = 2026-03-21) is marked, Friday 7 Farvardin too ----
  await choose(page, 'سال', fa('1405'));
  await choose(page, 'ماه', 'فروردین');
  await expect(page.getByTestId('calendar-title')).toHaveText('فروردین ۱۴۰۵');
  const nowruz = page.getByTestId('calendar-day-1');
  await expect(nowruz).toHaveAttribute('data-day', '2026-03-21');
  await expect(nowruz).toHaveAttribute('data-off', 'true');
  await expect(nowruz).toContainText('آغاز نوروز');
  await expect(page.getByTestId('calendar-day-7')).toHaveAttribute('data-off', 'true');
  await expect(page.getByTestId('calendar-day-8')).toHaveAttribute('data-off', 'false');

  // ---- a closure of one province on 17 Farvardin, added from the page ----
  await page.getByRole('button', { name: 'افزودن تعطیلی', exact: true }).click();
  const dialog = page.getByRole('dialog');
  const date = dialog.getByLabel('تاریخ', { exact: true });
  await date.click();
  await date.fill(fa('1405/01/17'));
  await date.press('Enter');
  await dialog.getByLabel('عنوان', { exact: true }).fill(title);
  await dialog.getByText('تعطیلی موردی', { exact: true }).click();
  await pickOption(page, dialog.getByRole('combobox', { name: 'استان', exact: true }), id, provinceLabel);
  // the province is chosen before the closure is saved
  await expect(dialog.getByTitle(provinceLabel, { exact: true })).toBeVisible();
  await dialog.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(dialog).toBeHidden();

  const day17 = page.getByTestId('calendar-day-17');
  await expect(day17).toHaveAttribute('data-off', 'true');
  await expect(day17).toContainText(fa(title));
  await expect(day17).toContainText(fa(provinceName));

  // ---- filtered by that province: its closure and the country's holidays are listed ----
  await pickOption(page, page.getByRole('combobox', { name: 'فیلتر استان', exact: true }), id, provinceLabel);
  const listed = page.getByTestId('calendar-list-item');
  await expect(listed.filter({ hasText: fa(title) })).toHaveCount(1);
  await expect(listed.filter({ hasText: fa(title) })).toContainText(fa('1405/01/17'));
  await expect(listed.filter({ hasText: 'آغاز نوروز' })).toHaveCount(1);
});
