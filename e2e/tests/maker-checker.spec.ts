import { expect, test, type Page } from '@playwright/test';
import { adminApi, fa, groupId, logIn, logInAsAdmin, openFromMenu, searchList, unique } from './helpers.js';

/** A valid 10-digit national code: nine digits from `seed` and their check digit. */
function nationalCode(seed: string): string {
  const body = `2${seed}`.slice(0, 9);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (10 - i);
  const remainder = sum % 11;
  return body + String(remainder < 2 ? remainder : 11 - remainder);
}

async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'خروج از سامانه' }).click();
  await expect(page).toHaveURL(/\/login$/);
}

/** Opens one request from the «درخواست‌ها» list, found by its customer number. */
async function openRequest(page: Page, customerNo: string): Promise<void> {
  await openFromMenu(page, 'درخواست‌ها');
  await searchList(page, customerNo);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: fa(customerNo) }) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('در انتظار بررسی');
  await row.getByRole('link', { name: fa(customerNo) }).click();
  await expect(page.getByRole('heading', { level: 2, name: /درخواست شماره/ })).toBeVisible();
}

test('a maker’s case edit waits for another user, who sees the change in red and accepts it (V19)', async ({
  page,
  request,
}) => {
  // Three sign-ins and some forty round trips: far beyond the 30 s default on a busy two-core machine.
  test.setTimeout(240_000);
  const id = unique();
  const customerNo = `MC-${id}`;
  const oldMobile = `0912${id.slice(1)}`;
  const newMobile = `0935${id.slice(1)}`;
  const password = `Vosul-Pass-${id}`;

  // ---- setup over the API: a branch, a group that needs approval, the maker, the checker, a case ----
  const api = await adminApi(request);
  const province = await api.post<{ id: number }>('/api/v1/provinces', {
    code: `P${id}`,
    name: `استان تأیید ${id}`,
  });
  const branch = await api.post<{ id: number }>('/api/v1/branches', {
    code: id,
    name: `شعبه تأیید ${id}`,
    province_id: province.id,
  });
  const makers = await api.post<{ id: number; needs_approval: boolean }>('/api/v1/groups', {
    title: `کارمندان با تأیید ${id}`,
    pages: ['active_cases', 'change_requests'],
    needs_approval: true,
  });
  expect(makers.needs_approval).toBe(true);
  const person = (username: string, lastName: string, group: number) => ({
    username,
    password,
    first_name: 'کاربر',
    last_name: lastName,
    user_type: 'full_time',
    group_ids: [group],
    branch_id: branch.id,
  });
  await api.post('/api/v1/users', person(`maker.${id}`, 'سازنده', makers.id));
  await api.post(
    '/api/v1/users',
    person(`checker.${id}`, 'بررسی‌کننده', await groupId(api, 'branch_manager')),
  );
  const created = await api.post<{ id: number }>('/api/v1/cases', {
    customer_no: customerNo,
    branch_id: branch.id,
    first_name: 'نسرین',
    last_name: `تأییدی ${id}`,
    national_id: nationalCode(id),
    mobile: oldMobile,
  });

  // ---- the maker edits the mobile: the save becomes a request ----
  await logIn(page, `maker.${id}`, password);
  await openFromMenu(page, 'پرونده‌های فعال');
  await searchList(page, customerNo);
  await page.getByRole('link', { name: fa(customerNo) }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'پرونده‌های فعال - ویرایش' })).toBeVisible();
  const mobileField = page.getByRole('textbox', { name: 'تلفن همراه', exact: true });
  await expect(mobileField).toHaveValue(oldMobile);
  await mobileField.fill(newMobile);
  await page.getByRole('button', { name: 'ذخیره', exact: true }).click();
  await expect(page.getByTestId('change-request-submitted')).toContainText('برای تأیید ارسال شد');
  await page.getByRole('button', { name: 'متوجه شدم' }).click();

  // The case itself is unchanged until the request is accepted.
  const caseNow = await api.get<{ mobile: string }>(`/api/v1/cases/${created.id}`);
  expect(caseNow.mobile).toBe(oldMobile);

  // The maker sees the request but cannot accept it.
  await openRequest(page, customerNo);
  await expect(page.getByTestId('own-request')).toBeVisible();
  await expect(page.getByTestId('changed-mobile')).toHaveText(fa(newMobile));
  await expect(page.getByRole('button', { name: 'پذیرفتن' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'رد درخواست' })).toHaveCount(0);
  await logOut(page);

  // ---- the checker opens the request: the changed field is red, beside the old value ----
  await logIn(page, `checker.${id}`, password);
  await openRequest(page, customerNo);
  const changed = page.getByTestId('changed-mobile');
  await expect(changed).toHaveText(fa(newMobile));
  await expect(changed).toHaveCSS('color', 'rgb(207, 19, 34)');
  const mobileRow = page.getByRole('row').filter({ has: changed });
  await expect(mobileRow).toContainText('تلفن همراه');
  await expect(mobileRow).toContainText(fa(oldMobile));
  // Fields the request does not change are not marked.
  await expect(page.locator('[data-testid^="changed-"]')).toHaveCount(1);
  await expect(page.getByTestId('request-status')).toHaveText('در انتظار بررسی');

  await page.getByRole('button', { name: 'پذیرفتن' }).click();
  await page.getByRole('button', { name: 'بله', exact: true }).click();
  await expect(page.getByTestId('request-status')).toHaveText('پذیرفته‌شده');
  await expect(page.getByText(fa(`checker.${id}`))).toBeVisible(); // the reviewer, recorded
  await expect(page.getByRole('button', { name: 'پذیرفتن' })).toHaveCount(0);
  await logOut(page);

  // ---- the case shows the new value ----
  await logInAsAdmin(page);
  await openFromMenu(page, 'پرونده‌های فعال');
  await searchList(page, customerNo);
  const caseRow = page.getByRole('row').filter({ has: page.getByRole('link', { name: fa(customerNo) }) });
  await expect(caseRow).toContainText(fa(newMobile));
  await caseRow.getByRole('link', { name: fa(customerNo) }).click();
  await expect(page.getByRole('textbox', { name: 'تلفن همراه', exact: true })).toHaveValue(newMobile);
});
