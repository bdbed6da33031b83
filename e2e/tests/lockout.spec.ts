import { expect, test, type Page } from '@playwright/test';
import { adminApi, groupId, unique } from './helpers.js';

const WRONG = 'نام کاربری یا رمز عبور نادرست است';
const LOCKED = /حساب کاربری تا .+ دقیقه دیگر قفل است/;

/** Submits the login form once and waits for the server's answer to it. */
async function attempt(page: Page, password: string): Promise<number> {
  await page.getByLabel('رمز عبور', { exact: true }).fill(password);
  const answer = page.waitForResponse(
    (r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/auth/login'),
  );
  await page.getByRole('button', { name: 'ورود به سامانه' }).click();
  return (await answer).status();
}

test('five wrong passwords lock the account, and then even the right password is refused', async ({
  page,
  request,
}) => {
  // Seven Argon2 password checks on the server: past the suite's 30 s default on a busy machine.
  test.slow();
  // The account is set up over the API: the subject here is the login page.
  const username = `locked.${unique()}`;
  const password = `Right-Pass-${unique()}`;
  const api = await adminApi(request);
  await api.post('/api/v1/users', {
    username,
    password,
    first_name: 'حسن',
    last_name: 'قفلی',
    user_type: 'full_time',
    group_ids: [await groupId(api, 'collection_officer')],
  });

  await page.goto('/login');
  await page.getByLabel('نام کاربری', { exact: true }).fill(username);
  const error = page.getByRole('alert');

  for (let i = 1; i <= 4; i++) {
    expect(await attempt(page, `wrong-password-${i}`)).toBe(401);
    await expect(error).toContainText(WRONG);
  }

  // The fifth failure is the one that locks.
  expect(await attempt(page, 'wrong-password-5')).toBe(429);
  await expect(error).toHaveText(LOCKED);
  await expect(error).toContainText('دقیقه');

  // The right password no longer opens the account.
  expect(await attempt(page, password)).toBe(429);
  await expect(error).toHaveText(LOCKED);
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('current-user')).toHaveCount(0);
});
