import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import JSZip from 'jszip';
import { logInAsAdmin, unique, zipSnapshot } from './helpers.js';

/** A small snapshot (interchange.md) in one zip folder; one customer row refers to an unknown branch. */
async function snapshotZip(id: string): Promise<Buffer> {
  return zipSnapshot(id, {
    'branches.csv': `branch_code,name,province_code,province_name\nU${id},شعبه بارگذاری ${id},UP${id},استان ${id}\n`,
    'loan_types.csv': `loan_type_code,title\nUL${id},قرض الحسنه\n`,
    'customers.csv':
      'customer_no,first_name,last_name,mobile,branch_code\n' +
      `UC1-${id},علی,احمدی,09121234567,U${id}\n` +
      `UC2-${id},زهرا,کریمی,09121234568,U${id}\n` +
      `UC3-${id},بی,شعبه,09121234569,NOPE${id}\n`,
    'facilities.csv':
      'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n' +
      `UF1-${id},UC1-${id},U${id},UL${id},1403/05/01,100000000\n` +
      `UF2-${id},UC2-${id},U${id},UL${id},1403/05/01,50000000\n`,
    'installments.csv': `facility_no,seq,due_on,amount\nUF1-${id},1,1403/06/01,1000000\nUF2-${id},1,1403/06/01,500000\n`,
    'guarantors.csv': `facility_no,first_name,last_name\nUF1-${id},حسن,حسنی\n`,
  });
}

test('the administrator uploads a zip, follows its progress, and downloads the rejected rows', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const id = unique();
  await logInAsAdmin(page);
  await page.goto('/reports/intake');
  await expect(
    page.getByRole('heading', { level: 2, name: 'گزارش دریافت اطلاعات', exact: true }),
  ).toBeVisible();

  await page.getByRole('button', { name: 'بارگذاری اطلاعات', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'بارگذاری اطلاعات کربنکینگ' });
  await dialog.locator('input[type=file]').setInputFiles({
    name: `snapshot-${id}.zip`,
    mimeType: 'application/zip',
    buffer: await snapshotZip(id),
  });
  await expect(dialog.getByText(`snapshot-${id}.zip`)).toBeVisible();
  // forced: the snapshot lists only this test's facilities, and other tests' imports came before
  await dialog.getByRole('checkbox', { name: 'بارگذاری اجباری' }).check();
  await dialog.getByRole('button', { name: 'شروع بارگذاری' }).click();

  // the upload, then the import: the bar reaches its end and the result names what was rejected
  await expect(dialog.getByTestId('import-progress')).toHaveAttribute('aria-valuenow', '100', {
    timeout: 60_000,
  });
  const result = dialog.getByTestId('intake-result');
  await expect(result).toContainText('بارگذاری شد');
  await expect(result).toContainText('۱ ردیف رد شد');
  await expect(result).toContainText('مشتریان: خوانده ۳، بارگذاری ۲');
  await dialog.getByRole('button', { name: 'بستن', exact: true }).last().click();

  // the run in the list with its counts per file
  const row = page.getByRole('row').filter({ hasText: 'مشتریان: خوانده ۳، بارگذاری ۲' });
  const first = row.first();
  await expect(first).toContainText('موفق');
  await expect(first).toContainText('تسهیلات: خوانده ۲، بارگذاری ۲');

  // the rejects as Excel: one row, customers.csv line 4
  const downloading = page.waitForEvent('download');
  await first.getByRole('button', { name: /ردیف — اکسل/ }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^intake-rejects-\d+\.xlsx$/);
  const xlsx = await JSZip.loadAsync(readFileSync(await download.path()));
  const strings = await xlsx.file('xl/sharedStrings.xml')?.async('string');
  const sheet = await xlsx.file('xl/worksheets/sheet1.xml')!.async('string');
  expect(`${strings ?? ''}${sheet}`).toContain('customers.csv');
});

test('the administrator sets the drop folder schedule; a bad time is refused under its field', async ({
  page,
}) => {
  // two saves and a reload: on a loaded two-core CI machine this runs close to the default 30 s
  test.setTimeout(60_000);
  await logInAsAdmin(page);
  await page.goto('/settings');
  await expect(page.getByText('دریافت اطلاعات از کربنکینگ', { exact: true })).toBeVisible();
  const time = page.getByRole('textbox', { name: 'ساعت دریافت روزانه' });
  const card = page.locator('form').filter({ has: time });
  await expect(time).toHaveValue('02:00');
  await time.fill('26:00');
  await card.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(card.locator('.ant-form-item-explain-error')).toContainText('ساعت دریافت روزانه باید');
  await time.fill('۰۳:۱۵');
  await card.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(page.getByText('تنظیمات دریافت اطلاعات ذخیره شد.')).toBeVisible();
  await page.reload();
  await expect(
    page.locator('form#intake-settings').getByRole('textbox', { name: 'ساعت دریافت روزانه' }),
  ).toHaveValue('03:15');
});
