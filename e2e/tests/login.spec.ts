import { expect, test } from '@playwright/test';
import { ADMIN_USERNAME, adminPassword } from '../support/env.js';

test('the administrator signs in on the Persian login page and reaches the shell', async ({ page }) => {
  await page.goto('/login');
  await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
  await expect(page.locator('html')).toHaveAttribute('lang', 'fa');

  await page.getByLabel('نام کاربری', { exact: true }).fill(ADMIN_USERNAME);
  await page.getByLabel('رمز عبور', { exact: true }).fill(adminPassword());
  await page.getByRole('button', { name: 'ورود به سامانه' }).click();

  await expect(page.getByText('مدیریت سیستم', { exact: true })).toBeVisible();
  await expect(page).not.toHaveURL(/\/login/);
});
