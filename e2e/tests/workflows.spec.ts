import { expect, test, type Page } from '@playwright/test';
import {
  adminApi,
  fa,
  logInAsAdmin,
  openFromMenu,
  pickOption,
  searchList,
  templateEditor,
  unique,
} from './helpers.js';

/** Fills the fields a workflow needs: title, the loan type, the day range. */
async function fillWorkflow(
  page: Page,
  title: string,
  loanType: { code: string; label: string },
  from: string,
  to: string,
) {
  await page.getByLabel('عنوان گردش کار', { exact: true }).fill(title);
  await pickOption(page, page.getByLabel('نوع وام', { exact: true }), loanType.code, loanType.label);
  await page.keyboard.press('Escape');
  await page.getByLabel('از روز', { exact: true }).fill(from);
  await page.getByLabel('تا روز', { exact: true }).fill(to);
}

test('an administrator defines a workflow with an SMS template from chips, previews it, and an overlapping one is refused', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const id = unique();
  // A loan type of this run only, so that only this test's workflows can overlap.
  const code = `WF${id}`;
  const api = await adminApi(request);
  await api.post('/api/v1/loan-types', { code, title: `مرابحه گردش ${id}` });
  const loanType = { code, label: fa(`${code} - مرابحه گردش ${id}`) };
  const title = `یادآوری معوق ${id}`;

  await logInAsAdmin(page);
  await openFromMenu(page, 'گردش کار');
  await page.getByRole('button', { name: 'جدید', exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'گردش کار - جدید' })).toBeVisible();
  // Persian digits typed into the range
  await fillWorkflow(page, title, loanType, '۱', '۳۰');

  // ---- the SMS text to the borrower, built with chips ----
  const {
    editor: sms,
    text,
    chip,
  } = templateEditor(page, 'template-sms-borrower', 'متن الگوی پیامک برای وام‌گیرنده');
  await text.click();
  await page.keyboard.type('سلام ');
  await chip('عنوان (جناب آقای / سرکار خانم)', ' ');
  await chip('نام خانوادگی وام‌گیرنده', '، تسهیلات ');
  await chip('شماره تسهیلات', ' شما ');
  await chip('تعداد روز تأخیر', ' روز معوق است. مبلغ قابل وصول: ');
  await chip('مبلغ قابل وصول', ' ریال');
  await expect(text).toHaveValue(
    'سلام {{gender_title}} {{borrower_last_name}}، تسهیلات {{facility_no}} شما {{overdue_days}} ' +
      'روز معوق است. مبلغ قابل وصول: {{collectible_amount}} ریال',
  );

  // ---- the live preview: placeholders filled, numbers in Persian digits, the SMS parts ----
  const preview = sms.getByTestId('template-preview');
  await expect(preview).toContainText(/^سلام (جناب آقای|سرکار خانم)/);
  await expect(preview).toContainText(/شما [۰-۹]+ روز معوق است/);
  await expect(preview).toContainText(/قابل وصول: [۰-۹٬]+ ریال/);
  await expect(preview).not.toContainText('{{');
  await expect(sms.getByTestId('sms-parts')).toHaveText(/^[۰-۹]+ نویسه، [۱-۹] پیامک/);

  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(page).toHaveURL(/\/workflows(\?.*)?$/);

  // ---- found in the list by search ----
  await searchList(page, title);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: fa(title) }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('روزهای ۱ تا ۳۰');
  await expect(row).toContainText('پیامک');
  await expect(row).toContainText('همه شعب');

  // ---- opened again, it shows what was saved ----
  await row.getByRole('link', { name: fa(title) }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'گردش کار - ویرایش' })).toBeVisible();
  await expect(page.getByLabel('متن الگوی پیامک برای وام‌گیرنده', { exact: true })).toHaveValue(
    /^سلام \{\{gender_title\}\}/,
  );
  await expect(page.getByLabel('تا روز', { exact: true })).toHaveValue('30');
  await page.getByRole('button', { name: 'لغو', exact: true }).click();
  await expect(row).toHaveCount(1);

  // ---- a second active workflow on the same loan type and shared days is refused ----
  await page.getByRole('button', { name: 'جدید', exact: true }).click();
  await fillWorkflow(page, `تداخل ${id}`, loanType, '20', '40');
  await page.getByLabel('متن الگوی پیامک برای وام‌گیرنده', { exact: true }).fill('بدهی شما معوق است.');
  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  const error = page.getByTestId('form-error');
  await expect(error).toContainText(`«${title}»`);
  await expect(error).toContainText('روزهای ۲۰ تا ۳۰');
  // «ذخیره» sits below the templates: the message is brought into view
  await expect(error).toBeInViewport();
  await expect(page).toHaveURL(/\/workflows\/new$/);
});
