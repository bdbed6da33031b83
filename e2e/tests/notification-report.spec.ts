import { expect, test, type Page } from '@playwright/test';
import { toJalali } from '@vosul/common/jalali';
import {
  businessDay,
  exportedExcelText,
  fa,
  importSnapshotZip,
  isWorkingDay,
  logInAsAdmin,
  openFromMenu,
  pickOption,
  templateEditor,
  unique,
  zipSnapshot,
} from './helpers.js';

/** One branch, one customer (her own mobile: the contact caps count by person) with a facility 40 days late. */
async function snapshotZip(id: string): Promise<Buffer> {
  return zipSnapshot(id, {
    'branches.csv': `branch_code,name,province_code,province_name\nN${id},شعبه اطلاع ${id},NP${id},استان ${id}\n`,
    'loan_types.csv': `loan_type_code,title\nNL${id},قرض‌الحسنه\n`,
    'customers.csv': `customer_no,first_name,last_name,mobile,branch_code\nNC-${id},نرگس,اطلاع ${id},091${id},N${id}\n`,
    'facilities.csv':
      'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n' +
      `NF-${id},NC-${id},N${id},NL${id},1403/01/15,50000000\n`,
    'installments.csv':
      'facility_no,seq,due_on,amount,paid_amount\n' + `NF-${id},1,${businessDay(-40)},1500000,0\n`,
    'guarantors.csv': 'facility_no,first_name,last_name\n',
  });
}

/**
 * The clerk's way: an SMS workflow for the snapshot's loan type defined on the workflow page with its
 * text built from chips, then today's run started from the daily-run page (it plans the notifications).
 */
async function defineWorkflowAndRunTheDay(page: Page, id: string): Promise<void> {
  await logInAsAdmin(page);
  await openFromMenu(page, 'گردش کار');
  await page.getByRole('button', { name: 'جدید', exact: true }).click();
  await page.getByLabel('عنوان گردش کار', { exact: true }).fill(`یادآوری پیامکی ${id}`);
  await pickOption(page, page.getByLabel('نوع وام', { exact: true }), `NL${id}`, fa(`NL${id} - قرض‌الحسنه`));
  await page.keyboard.press('Escape');
  // from the first day late, with no upper end; SMS to the borrower is the form's default
  await page.getByLabel('از روز', { exact: true }).fill('۱');
  const { text, chip } = templateEditor(page, 'template-sms-borrower', 'متن الگوی پیامک برای وام‌گیرنده');
  await text.click();
  await chip('عنوان (جناب آقای / سرکار خانم)', ' ');
  await chip('نام خانوادگی وام‌گیرنده', '، قسط تسهیلات شما ');
  await chip('تعداد روز تأخیر', ' روز معوق است');
  await expect(text).toHaveValue(
    '{{gender_title}} {{borrower_last_name}}، قسط تسهیلات شما {{overdue_days}} روز معوق است',
  );

  // ---- before it is saved: its dry run for today lists the facility with the very text (B2) ----
  const dryRun = page.getByTestId('dry-run');
  const date = dryRun.getByLabel('تاریخ اجرای آزمایشی', { exact: true });
  await date.click();
  await date.fill(fa(toJalali(businessDay(0))));
  await date.press('Enter');
  await dryRun.getByRole('button', { name: 'اجرای آزمایشی', exact: true }).click();
  await expect(dryRun.getByTestId('dry-run-summary')).toContainText(`ارسال‌ها${fa(1)}`);
  const planned = dryRun.locator('.ant-table-tbody tr.ant-table-row');
  await expect(planned).toHaveCount(1);
  await expect(planned).toContainText(fa(`NF-${id}`));
  await expect(planned).toContainText(fa(`091${id}`));
  await expect(planned).toContainText(`اطلاع ${fa(id)}، قسط تسهیلات شما ${fa(40)} روز معوق است`);
  await expect(planned).toContainText('ارسال می‌شود');

  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(page).toHaveURL(/\/workflows(\?.*)?$/);

  // ---- today's run, started from its page and followed to its end ----
  await openFromMenu(page, 'اجرای روزانه');
  const start = page.locator('form#day-run-start');
  await expect(start.getByPlaceholder('۱۴۰۳/۰۱/۰۱')).toHaveValue(fa(toJalali(businessDay(0))));
  const progress = page.getByTestId('day-run-progress');
  // a run of another test may still hold the day: start again once it is over
  await expect(async () => {
    await start.getByRole('button', { name: 'شروع اجرا' }).click();
    await expect(progress.getByTestId('day-run-status')).toHaveText('انجام شد', { timeout: 90_000 });
  }).toPass({ timeout: 200_000 });
}

test("a workflow defined on its page plans the day's SMS, shown in the notification report and on the facility's page", async ({
  page,
  request,
}) => {
  // Fridays and holidays are not working days: the planner sends nothing on one (issue 5 point 3)
  test.skip(!(await isWorkingDay(request, businessDay(0))), 'no notification is planned on a day off');
  test.setTimeout(240_000);
  const id = unique();
  const facilityNo = `NF-${id}`;
  const recipient = fa(`نرگس اطلاع ${id}`);
  await importSnapshotZip(request, `snapshot-${id}.zip`, await snapshotZip(id));
  await defineWorkflowAndRunTheDay(page, id);

  // ---- the report, filtered to this facility's SMS ----
  await openFromMenu(page, 'گزارش اطلاع‌رسانی');
  await page.getByLabel('شماره تسهیلات', { exact: true }).fill(facilityNo);
  await page.getByRole('combobox', { name: 'کانال', exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('پیامک', { exact: true }).click();
  const answered = page.waitForResponse(
    (r) =>
      new URL(r.url()).pathname === '/api/v1/notifications' &&
      new URL(r.url()).searchParams.get('channel') === 'sms',
  );
  await page.getByRole('button', { name: 'جستجو', exact: true }).click();
  await answered;
  const rows = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: recipient });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('پیامک');
  await expect(rows).toContainText(fa(`091${id}`));
  // the very text the dry run showed before the workflow was saved
  await expect(rows).toContainText(`اطلاع ${fa(id)}، قسط تسهیلات شما ${fa(40)} روز معوق است`);
  await expect(rows).toContainText(`یادآوری پیامکی ${fa(id)}`);
  await expect(rows).toContainText(fa(toJalali(businessDay(0))));

  // ---- the summary by status × channel and the chart by day ----
  const summary = page.getByTestId('notification-summary');
  await expect(summary.getByRole('columnheader', { name: 'پیامک' })).toBeVisible();
  await expect(summary.locator('tr').filter({ hasText: 'جمع' }).last()).toContainText(fa(1));
  await expect(page.getByTestId('notification-chart')).toContainText(fa(toJalali(businessDay(0))));

  // ---- its status history ----
  await rows.getByTestId('notification-status').click();
  const dialog = page.getByRole('dialog', { name: 'تاریخچه وضعیت اطلاع‌رسانی' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(recipient);
  await expect(dialog.getByTestId('notification-events')).toBeVisible();
  await dialog.getByRole('button', { name: 'بستن' }).click();
  await expect(dialog).toBeHidden();

  // ---- the Excel export of the same filters ----
  const xml = await exportedExcelText(page);
  expect(xml).toContain('گزارش اطلاع‌رسانی');
  expect(xml).toContain(`نرگس اطلاع ${id}`);
  expect(xml).toContain(toJalali(businessDay(0)));

  // ---- the facility's notification details (V18), filtered by channel ----
  await page.goto(`/facilities/${facilityNo}`);
  const details = page.getByTestId('facility-notifications');
  await expect(details.getByRole('heading', { name: 'اطلاع‌رسانی‌ها' })).toBeVisible();
  await expect(details.locator('tr.ant-table-row').filter({ hasText: recipient })).toContainText('پیامک');
  await details.getByRole('combobox', { name: 'کانال', exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('تماس تلفنی', { exact: true }).click();
  await details.getByRole('button', { name: 'جستجو', exact: true }).click();
  await expect(details.locator('tr.ant-table-row')).toHaveCount(0);
});
