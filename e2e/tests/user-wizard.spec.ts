import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { expect, test } from '@playwright/test';
import { fa, logInAsAdmin, openFromMenu, searchList, unique } from './helpers.js';

/** The header texts of the template's first sheet, in column order. */
async function templateHeaders(file: string): Promise<string[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.getWorksheet('کاربران') ?? workbook.worksheets[0];
  if (!sheet) throw new Error('the template has no sheet');
  const headers: string[] = [];
  sheet.getRow(1).eachCell({ includeEmpty: false }, (cell, col) => {
    headers[col - 1] = cell.text;
  });
  return headers;
}

test('a workbook with one bad row is refused whole: the bad row is listed and nobody is created', async ({
  page,
}, testInfo) => {
  // A download, an upload and two list searches: past the suite's 30 s default on a busy machine.
  test.setTimeout(120_000);
  const id = unique();
  const goodUsername = `wizard.good.${id}`;
  const badUsername = `wizard.bad.${id}`;
  const missingBranch = `NOBRANCH${id}`;

  await logInAsAdmin(page);
  await openFromMenu(page, 'جادوی کاربری');

  // ---- the template ----
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'دریافت الگوی اکسل' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const templateFile = testInfo.outputPath(download.suggestedFilename());
  await download.saveAs(templateFile);
  const bytes = await readFile(templateFile);
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004'); // an .xlsx is a ZIP archive
  const headers = await templateHeaders(templateFile);
  for (const required of ['نام کاربری', 'کلمه عبور', 'نام', 'نام خانوادگی', 'نوع کاربر', 'گروه‌های دسترسی']) {
    expect(headers).toContain(required);
  }

  // ---- a filled copy: row 2 good, row 3 names a branch that does not exist ----
  const row = (values: Record<string, string>) => headers.map((h) => values[h] ?? '');
  const common = {
    'کلمه عبور': `Wizard-Pass-${id}`,
    نام: 'سارا',
    'نوع کاربر': 'تمام وقت',
    'گروه‌های دسترسی': 'وصول مطالبات',
  };
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('کاربران', { views: [{ rightToLeft: true }] });
  sheet.addRow(headers);
  sheet.addRow(row({ ...common, 'نام کاربری': goodUsername, 'نام خانوادگی': 'درست' }));
  sheet.addRow(
    row({ ...common, 'نام کاربری': badUsername, 'نام خانوادگی': 'نادرست', 'کد شعبه': missingBranch }),
  );
  const filled = testInfo.outputPath('users-filled.xlsx');
  await workbook.xlsx.writeFile(filled);

  // ---- upload ----
  const choosing = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'بارگذاری فایل کاربران' }).click();
  await (await choosing).setFiles(filled);

  const verdict = page.getByTestId('wizard-error');
  await expect(verdict).toBeVisible();
  await expect(verdict).toContainText(`${fa(1)} ردیف فایل خطا دارد؛ هیچ کاربری ثبت نشد`);

  const errorRows = page.getByRole('table').getByRole('row');
  await expect(errorRows).toHaveCount(2); // the header and row 3
  const badRow = errorRows.filter({ has: page.getByRole('cell', { name: fa(3), exact: true }) });
  await expect(badRow).toHaveCount(1);
  await expect(badRow.getByRole('cell', { name: 'کد شعبه', exact: true })).toBeVisible();
  await expect(badRow).toContainText(`شعبه با کد ${fa(missingBranch)} یافت نشد`);
  await expect(errorRows.filter({ has: page.getByRole('cell', { name: fa(2), exact: true }) })).toHaveCount(
    0,
  );

  // ---- all or nothing: not even the good row's user exists ----
  await openFromMenu(page, 'کاربران');
  for (const username of [goodUsername, badUsername]) {
    await searchList(page, username);
    await expect(page.getByText('رکوردی یافت نشد')).toBeVisible();
    await expect(page.getByRole('cell', { name: username })).toHaveCount(0);
  }
});
