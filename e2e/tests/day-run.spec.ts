import { readFile } from 'node:fs/promises';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { toJalali } from '@vosul/common/jalali';
import { formatMoney } from '@vosul/common/text';
import {
  businessDay,
  fa,
  importSnapshotZip,
  logInAsAdmin,
  openFromMenu,
  searchList,
  unique,
  zipSnapshot,
} from './helpers.js';

/** One branch, one customer with one facility: installment 1 unpaid 40 days late, installment 2 to come. */
async function snapshotZip(id: string): Promise<Buffer> {
  return zipSnapshot(id, {
    'branches.csv': `branch_code,name,province_code,province_name\nD${id},شعبه اجرا ${id},DP${id},استان ${id}\n`,
    'loan_types.csv': `loan_type_code,title\nDL${id},مضاربه\n`,
    'customers.csv': `customer_no,first_name,last_name,mobile,branch_code\nDC-${id},مریم,اجرا ${id},09121234567,D${id}\n`,
    'facilities.csv':
      'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n' +
      `DF-${id},DC-${id},D${id},DL${id},1403/01/15,50000000\n`,
    'installments.csv':
      'facility_no,seq,due_on,amount,paid_amount\n' +
      `DF-${id},1,${businessDay(-40)},1500000,0\n` +
      `DF-${id},2,${businessDay(20)},1500000,0\n`,
    'guarantors.csv': `facility_no,first_name,last_name\nDF-${id},رضا,ضامن ${id}\n`,
  });
}

/** Loads the test's snapshot as the bank's import does. */
async function importSnapshot(request: APIRequestContext, id: string): Promise<void> {
  await importSnapshotZip(request, `snapshot-${id}.zip`, await snapshotZip(id));
}

test('the administrator runs the day, sees its vouchers and a facility with its figures as of the run', async ({
  page,
  request,
}) => {
  test.setTimeout(240_000);
  const id = unique();
  const facilityNo = `DF-${id}`;
  const today = fa(toJalali(businessDay(0)));
  await importSnapshot(request, id);

  // ---- the run of today, followed to its end ----
  await logInAsAdmin(page);
  await openFromMenu(page, 'اجرای روزانه');
  const start = page.locator('form#day-run-start');
  await expect(start.getByPlaceholder('۱۴۰۳/۰۱/۰۱')).toHaveValue(today);
  await start.getByRole('checkbox', { name: 'صدور سند افتتاحیه' }).check();
  await start.getByRole('button', { name: 'شروع اجرا' }).click();
  const progress = page.getByTestId('day-run-progress');
  await expect(progress).toBeVisible();
  await expect(progress.getByTestId('day-run-status')).toHaveText('انجام شد', { timeout: 90_000 });
  await expect(progress).toContainText(today);
  // the list shows the run at the top (newest first), finished
  const firstRow = page.locator('.ant-table-tbody tr.ant-table-row').first();
  await expect(firstRow).toContainText(today);
  await expect(firstRow).toContainText('کاربر');
  await expect(firstRow.getByTestId('day-run-status')).toHaveText('انجام شد');

  // ---- the vouchers: the facility's first run opened its books with a voucher ----
  await openFromMenu(page, 'اسناد حسابداری طبقه‌بندی');
  await expect(page.getByRole('button', { name: 'خروجی اکسل' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'خروجی CSV برای کربنکینگ' })).toBeVisible();
  const answered = page.waitForResponse(
    (r) => new URL(r.url()).pathname === '/api/v1/vouchers' && r.url().includes(facilityNo),
  );
  await page.getByLabel('شماره تسهیلات', { exact: true }).fill(facilityNo);
  await page.getByRole('button', { name: 'جستجو', exact: true }).click();
  await answered;
  const voucherRows = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: facilityNo });
  await expect(voucherRows.first()).toContainText('مانده افتتاحیه');
  await expect(voucherRows.first()).toContainText(today);
  // the CSV for the core banking system marks the listed vouchers exported (the tooltip says so)
  const csvButton = page.getByRole('button', { name: 'خروجی CSV برای کربنکینگ' });
  await csvButton.hover();
  await expect(page.getByRole('tooltip')).toContainText('صادرشده');
  const download = page.waitForEvent('download');
  await csvButton.click();
  const csv = await readFile(await (await download).path(), 'utf8');
  expect(csv).toContain(`${facilityNo},`);
  expect(csv).toContain(',opening,');
  await expect(voucherRows.first().locator('td').last()).toHaveText(new RegExp(`^${today} `));

  // ---- the facility, opened from its case ----
  await openFromMenu(page, 'پرونده‌های فعال');
  await searchList(page, `DC-${id}`);
  // the row of this case (the list of every case may still be on screen while the answer renders)
  const caseRow = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: `اجرا ${fa(id)}` });
  await caseRow.getByRole('link', { name: 'تسهیلات', exact: true }).click();
  await page.getByRole('link', { name: facilityNo, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/facilities/${facilityNo}$`));
  await expect(page.getByRole('heading', { level: 2 })).toContainText(facilityNo);
  await expect(page.getByText(`مریم اجرا ${fa(id)}`)).toBeVisible();
  await expect(page.getByTestId('figures-as-of')).toHaveText(`بر اساس اجرای روز ${today}`);
  await expect(page.getByTestId('cbi-class').first()).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'روز تأخیر' })).toBeVisible();
  const late = page.locator('tr.vosul-overdue-row');
  await expect(late).toHaveCount(1);
  await expect(late).toContainText(fa(toJalali(businessDay(-40))));
  await expect(late).toContainText(formatMoney('1500000'));
  await expect(late.getByRole('cell', { name: fa(40), exact: true })).toBeVisible();
  await expect(page.getByText(`رضا ضامن ${fa(id)}`)).toBeVisible();
});
