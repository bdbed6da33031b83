import { expect, test, type APIRequestContext } from '@playwright/test';
import { toJalali } from '@vosul/common/jalali';
import { formatMoney } from '@vosul/common/text';
import {
  businessDay,
  fa,
  importSnapshotZip,
  logInAsAdmin,
  openFromMenu,
  pickOption,
  unique,
  zipSnapshot,
} from './helpers.js';

/**
 * A snapshot of one branch with three facilities: MA due in 3 days (and last in 60), MB due only in
 * 40 days, MC due in 5 days but paid already.
 */
async function snapshotZip(id: string): Promise<Buffer> {
  return zipSnapshot(id, {
    'branches.csv': `branch_code,name,province_code,province_name\nM${id},شعبه سررسید ${id},MP${id},استان ${id}\n`,
    'loan_types.csv': `loan_type_code,title\nML${id},مرابحه\n`,
    'customers.csv':
      'customer_no,first_name,last_name,mobile,branch_code\n' +
      ['A', 'B', 'C'].map((k) => `MC${k}-${id},سارا,سررسید ${k},09121234567,M${id}\n`).join(''),
    'facilities.csv':
      'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n' +
      ['A', 'B', 'C'].map((k) => `M${k}-${id},MC${k}-${id},M${id},ML${id},1403/05/01,90000000\n`).join(''),
    'installments.csv':
      'facility_no,seq,due_on,amount,paid_amount\n' +
      `MA-${id},1,${businessDay(3)},1000000,0\n` +
      `MA-${id},2,${businessDay(60)},1000000,0\n` +
      `MB-${id},1,${businessDay(40)},2000000,0\n` +
      `MC-${id},1,${businessDay(5)},3000000,3000000\n`,
    'guarantors.csv': 'facility_no,first_name,last_name\n',
  });
}

/** Loads the test's snapshot as the bank's import does. */
async function importSnapshot(request: APIRequestContext, id: string): Promise<void> {
  await importSnapshotZip(request, `snapshot-${id}.zip`, await snapshotZip(id));
}

test('the administrator lists the facilities falling due by a date for a branch and prints them', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const id = unique();
  await importSnapshot(request, id);

  await logInAsAdmin(page);
  await openFromMenu(page, 'تسهیلات سررسید شونده');
  // HQ chooses the branch first
  await expect(page.getByText('شعبه و تاریخ را انتخاب کنید')).toBeVisible();

  const filters = page.locator('form#maturing-filters');
  await pickOption(
    page,
    filters.getByRole('combobox', { name: 'شعبه' }),
    id,
    fa(`M${id} - شعبه سررسید ${id}`),
  );
  const date = filters.getByPlaceholder('۱۴۰۳/۰۱/۰۱');
  const pickDate = async (iso: string) => {
    await date.click();
    await date.fill(fa(toJalali(iso)));
    await date.press('Enter');
    const answered = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/v1/maturing-facilities' && r.url().includes(iso),
    );
    await filters.getByRole('button', { name: 'نمایش', exact: true }).click();
    await answered;
  };

  // ---- in 20 days: MA (due in 3 days) only; MB falls due later, MC is paid ----
  await pickDate(businessDay(20));
  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  await expect(rows).toHaveCount(1);
  const ma = rows.filter({ hasText: `MA-${id}` });
  await expect(ma).toContainText(fa(toJalali(businessDay(3)))); // the first due date, in the window
  await expect(ma).toContainText(fa(toJalali(businessDay(60)))); // the last installment's date
  await expect(ma).toContainText(formatMoney('1000000')); // falling due in the window
  await expect(ma).toContainText(formatMoney('2000000')); // unpaid in all
  await expect(ma).toContainText('فعال');
  await expect(ma).toContainText(fa('1403/05/01')); // formation date

  // ---- in 45 days: MB too, never the paid MC ----
  await pickDate(businessDay(45));
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: `MB-${id}` })).toContainText(fa(toJalali(businessDay(40))));
  await expect(page.getByText(`MC-${id}`)).toHaveCount(0);

  // ---- printed: A4 landscape, the list under its heading, without menu and filters ----
  const styles = await page.getByTestId('maturing-print-styles').textContent();
  expect(styles).toMatch(/@page\s*{\s*size:\s*A4 landscape/);
  await page.emulateMedia({ media: 'print' });
  await expect(filters).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'منوی اصلی' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'چاپ', exact: true })).toBeHidden();
  const heading = page.getByTestId('print-heading');
  await expect(heading).toBeVisible();
  await expect(heading).toContainText(fa(`شعبه سررسید ${id}`));
  await expect(heading).toContainText(fa(toJalali(businessDay(45))));
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toBeVisible();
  await page.emulateMedia({ media: 'screen' });
  await expect(heading).toBeHidden();
  await expect(filters).toBeVisible();
});
