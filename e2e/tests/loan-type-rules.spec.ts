import { expect, test } from '@playwright/test';
import { adminApi, fa, logInAsAdmin, openFromMenu, searchList, unique } from './helpers.js';

test('an administrator sets a loan type’s past-due threshold and a ledger head, and finds them after a reload', async ({
  page,
  request,
}) => {
  test.setTimeout(90_000);
  const id = unique();
  const code = `LR${id}`;
  const head = `PD-${id}`;
  const api = await adminApi(request);
  await api.post('/api/v1/loan-types', { code, title: `مرابحه آزمون ${id}` });

  // ---- from the loan-type list to the parameters, as a clerk would ----
  await logInAsAdmin(page);
  await openFromMenu(page, 'انواع وام');
  await searchList(page, code);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: fa(code) }) });
  await row.getByRole('link', { name: 'پارامترهای طبقه‌بندی و وجه التزام' }).click();
  await expect(
    page.getByRole('heading', { level: 2, name: /پارامترهای طبقه‌بندی و وجه التزام/ }),
  ).toContainText(fa(code));

  // the directive's defaults, explained in words
  const pastDue = page.getByLabel('آستانه سررسید گذشته (روز)', { exact: true });
  await expect(pastDue).toHaveValue('60');
  await expect(page.getByTestId('class-ranges')).toContainText(
    'جاری تا ۶۰ روز، سررسید گذشته بیش از ۶۰ تا ۱۸۰ روز',
  );
  await expect(page.getByLabel('سرفصل سررسید گذشته', { exact: true })).toHaveValue('past_due');

  // ---- typed in Persian digits; the explanation follows ----
  await pastDue.fill('۹۰');
  await expect(pastDue).toHaveValue('90');
  await expect(page.getByTestId('class-ranges')).toContainText(
    'جاری تا ۹۰ روز، سررسید گذشته بیش از ۹۰ تا ۱۸۰ روز',
  );
  await page.getByLabel('سرفصل سررسید گذشته', { exact: true }).fill(head);

  // a head equal to another class's is refused under its field, nothing saved
  await page.getByLabel('سرفصل معوق', { exact: true }).fill(head);
  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(page.getByText(/سرفصل چهار طبقه باید متفاوت باشند/)).toBeVisible();
  await page.getByLabel('سرفصل معوق', { exact: true }).fill('deferred');

  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(page.getByText('اطلاعات ذخیره شد.')).toBeVisible();

  // ---- after a reload the page reads them back from the server ----
  await page.reload();
  await expect(page.getByLabel('آستانه سررسید گذشته (روز)', { exact: true })).toHaveValue('90');
  await expect(page.getByLabel('سرفصل سررسید گذشته', { exact: true })).toHaveValue(head);
  await expect(page.getByLabel('سرفصل معوق', { exact: true })).toHaveValue('deferred');
  await expect(page.getByTestId('class-ranges')).toContainText('سررسید گذشته بیش از ۹۰ تا ۱۸۰ روز');
});
