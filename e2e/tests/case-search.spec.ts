import { expect, test } from '@playwright/test';
import { adminApi, fa, logInAsAdmin, openFromMenu, searchList, unique } from './helpers.js';

/** A valid 10-digit national code: nine digits from `seed` and their check digit. */
function nationalCode(seed: string): string {
  const body = `1${seed}`.slice(0, 9);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (10 - i);
  const remainder = sum % 11;
  return body + String(remainder < 2 ? remainder : 11 - remainder);
}

test('a case is found by its name typed with Arabic letters and by its mobile in Persian digits', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const id = unique();
  const customerNo = `E2E-${id}`;
  // «کیان» with Persian ی and ک, as stored, and letters of the run's id so that no other case matches.
  const firstName = `کیان ${[...id].map((d) => 'ابپتثجچحخد'[Number(d)]).join('')}`;
  // The same name with Arabic ي and ك, as an Arabic keyboard types it.
  const arabicFirstName = firstName.replace(/ی/g, 'ي').replace(/ک/g, 'ك');
  const lastName = `آزمون ${id}`;
  const mobile = `091${id}`;
  const national = nationalCode(id);

  // ---- setup over the API: a province, a branch and the case ----
  const api = await adminApi(request);
  const province = await api.post<{ id: number }>('/api/v1/provinces', {
    code: `P${id}`,
    name: `استان جستجو ${id}`,
  });
  const branch = await api.post<{ id: number }>('/api/v1/branches', {
    code: id,
    name: `شعبه جستجو ${id}`,
    province_id: province.id,
  });
  await api.post('/api/v1/cases', {
    customer_no: customerNo,
    branch_id: branch.id,
    first_name: firstName,
    last_name: lastName,
    national_id: national,
    mobile,
  });

  // ---- the list, searched as a clerk would ----
  await logInAsAdmin(page);
  await openFromMenu(page, 'پرونده‌های فعال');
  const caseRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: fa(customerNo) }) });
  const caseRows = page.getByRole('row').filter({ has: page.getByRole('link') });

  // the box says how it searches: from the start of a key, or a mobile's last digits
  await expect(page.getByLabel('عبارت جستجو', { exact: true })).toHaveAttribute(
    'placeholder',
    /ارقام آخر موبایل/,
  );
  expect(arabicFirstName).toContain('كيان');
  await searchList(page, arabicFirstName);
  await expect(page.getByLabel('عبارت جستجو', { exact: true })).toHaveValue(firstName);
  await expect(caseRows).toHaveCount(1);
  await expect(caseRow).toHaveCount(1);
  await expect(caseRow).toContainText(fa(`${firstName} ${lastName}`));
  await expect(caseRow).toContainText(fa(mobile));

  await searchList(page, fa(mobile));
  await expect(page.getByLabel('عبارت جستجو', { exact: true })).toHaveValue(mobile);
  await expect(caseRows).toHaveCount(1);
  await expect(caseRow).toHaveCount(1);
  await expect(caseRow).toContainText(fa(national));

  // ---- the customer number opens the case ----
  await caseRow.getByRole('link', { name: fa(customerNo) }).click();
  await expect(page).toHaveURL(/\/cases\/\d+$/);
  await expect(page.getByRole('heading', { level: 2, name: 'پرونده‌های فعال - ویرایش' })).toBeVisible();
  // The form item of the customer number is labelled too, so the field is asked for by its role.
  const field = (label: string) => page.getByRole('textbox', { name: label, exact: true });
  await expect(field('شماره مشتری')).toHaveValue(customerNo);
  await expect(field('نام')).toHaveValue(firstName);
  await expect(field('نام خانوادگی')).toHaveValue(lastName);
  await expect(field('تلفن همراه')).toHaveValue(mobile);
  await expect(field('کد ملی')).toHaveValue(national);
});
