/**
 * Steps the browser tests share: signing in as a clerk would, the side menu, antd selects, unique
 * codes, and an administrator's API session for setup that is not what a test is about.
 * (Not a spec file: Playwright only runs `*.spec.ts`.)
 */
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import JSZip from 'jszip';
import { toJalali } from '@vosul/common/jalali';
import {
  expect,
  type APIRequestContext,
  type APIResponse,
  type Download,
  type Locator,
  type Page,
} from '@playwright/test';
import { ADMIN_USERNAME, adminPassword } from '../support/env.js';

const PERSIAN_DIGITS = '۰۱۲۳۴۵۶۷۸۹';

/** Latin digits as the web shows them (Persian). */
export function fa(text: string | number): string {
  return String(text).replace(/[0-9]/g, (d) => PERSIAN_DIGITS[Number(d)]!);
}

/** Eight random digits: codes and user names unique across parallel tests sharing one database. */
export function unique(): string {
  return String(randomInt(10_000_000, 100_000_000));
}

/** Signs in on the login page and waits for the shell (the signed-in user's name in the header). */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('نام کاربری', { exact: true }).fill(username);
  await page.getByLabel('رمز عبور', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'ورود به سامانه' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  await expect(page).not.toHaveURL(/\/login/);
}

export function logInAsAdmin(page: Page): Promise<void> {
  return logIn(page, ADMIN_USERNAME, adminPassword());
}

export function mainMenu(page: Page): Locator {
  return page.getByRole('navigation', { name: 'منوی اصلی' });
}

/** Opens a screen from the side menu and waits for its heading. */
export async function openFromMenu(page: Page, title: string): Promise<void> {
  await mainMenu(page).getByRole('link', { name: title, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: title, exact: true })).toBeVisible();
}

/**
 * Picks an option of an antd select: types `search` into it and clicks the option labelled `label`
 * in the open dropdown. antd draws its options in a virtual list whose items carry the label as
 * their title (the role=option copies are a hidden a11y mirror), hence getByTitle.
 */
export async function pickOption(page: Page, select: Locator, search: string, label: string): Promise<void> {
  const root = select.locator('xpath=ancestor::*[contains(concat(" ", @class, " "), " ant-select ")][1]');
  const option = page.locator('.ant-select-dropdown:visible').getByTitle(label, { exact: true });
  // a click while the dropdown is still being aligned (a select in an opening dialog) can miss the
  // option: open and click again until the select shows it as chosen
  await expect(async () => {
    if (await root.getByTitle(label, { exact: true }).isVisible()) return;
    if ((await select.getAttribute('aria-expanded')) !== 'true') await select.click();
    if ((await select.inputValue()) !== search) await select.fill(search);
    await option.click({ timeout: 2_000 });
    await expect(root.getByTitle(label, { exact: true })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
}

/** Searches a DataTable list with its «عبارت جستجو» box; resolves when the new answer is shown. */
export async function searchList(page: Page, text: string): Promise<void> {
  const answered = page.waitForResponse(
    // the answer to this search, not a list load still on its way (an empty `q`)
    (r) => r.request().method() === 'GET' && (new URL(r.url()).searchParams.get('q') ?? '') !== '',
  );
  await page.getByLabel('عبارت جستجو', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'جستجو', exact: true }).click();
  await answered;
}

/** The administrator's session over the API (cookie kept by `request`), for setup steps. */
export async function adminApi(request: APIRequestContext) {
  const login = await request.post('/api/v1/auth/login', {
    data: { username: ADMIN_USERNAME, password: adminPassword() },
  });
  expect(login.status(), await login.text()).toBe(200);
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  const check = async (response: APIResponse): Promise<unknown> => {
    expect(response.ok(), `${response.url()}: ${await response.text()}`).toBe(true);
    return response.status() === 204 ? undefined : response.json();
  };
  return {
    get: async <T>(path: string, params?: Record<string, string | number | boolean>) =>
      (await check(await request.get(path, { params }))) as T,
    post: async <T>(path: string, data: unknown) =>
      (await check(await request.post(path, { data, headers: { 'x-csrf-token': csrf } }))) as T,
  };
}

/** The id of a predefined access group by its code (e.g. `collection_officer`). */
export async function groupId(api: Awaited<ReturnType<typeof adminApi>>, code: string): Promise<number> {
  const groups = await api.get<{ items: { id: number; code: string | null }[] }>('/api/v1/groups', {
    page_size: 500,
  });
  const group = groups.items.find((g) => g.code === code);
  if (!group) throw new Error(`no group with code ${code}`);
  return group.id;
}

/** A snapshot as the core banking system drops it: its CSV files (name → text) in one zip folder. */
export function zipSnapshot(id: string, files: Record<string, string>): Promise<Buffer> {
  const zip = new JSZip();
  const folder = zip.folder(`snapshot-${id}`)!;
  for (const [name, text] of Object.entries(files)) folder.file(name, text);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/**
 * Loads a snapshot (a zip of its CSV files) as the bank's intake does, through the upload of the
 * intake report, and waits for its run to succeed; answers the administrator's CSRF token for
 * further setup. Forced: the snapshot lists only the test's facilities (the others would trip the
 * close guard, and are closed).
 */
export async function importSnapshotZip(
  request: APIRequestContext,
  name: string,
  zip: Buffer,
): Promise<string> {
  const login = await request.post('/api/v1/auth/login', {
    data: { username: ADMIN_USERNAME, password: adminPassword() },
  });
  expect(login.status()).toBe(200);
  const { csrf_token: csrf } = (await login.json()) as { csrf_token: string };
  const upload = await request.post('/api/v1/intake-runs/upload', {
    headers: { 'x-csrf-token': csrf },
    multipart: { force: 'true', files: { name, mimeType: 'application/zip', buffer: zip } },
  });
  expect(upload.status(), await upload.text()).toBe(202);
  const run = (await upload.json()) as { id: number };
  await expect
    .poll(
      async () =>
        ((await (await request.get(`/api/v1/intake-runs/${run.id}`)).json()) as { status: string }).status,
      { timeout: 60_000 },
    )
    .toBe('succeeded');
  return csrf;
}

/** Today's business date on the server (Asia/Tehran, its default zone) moved by `days`. */
export function businessDay(days: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tehran' }).format(new Date());
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Whether the planner works on `iso` in a province with no closures of its own: not a Friday and not a
 * country-wide holiday or closure of the working calendar (as the clerks keep it in «تقویم کاری»).
 */
export async function isWorkingDay(request: APIRequestContext, iso: string): Promise<boolean> {
  if (new Date(`${iso}T12:00:00Z`).getUTCDay() === 5) return false;
  const [year, month] = toJalali(iso).split('/').map(Number);
  const api = await adminApi(request);
  const { items } = await api.get<{ items: { day: string; province_id: number | null }[] }>(
    '/api/v1/holidays',
    {
      year: year!,
      month: month!,
    },
  );
  return !items.some((h) => h.day === iso && h.province_id === null);
}

/**
 * A template editor of the workflow form (`template-CHANNEL-ROLE`): `chip` clicks a placeholder chip,
 * which puts its placeholder at the caret and gives the focus back to the text, then types `then`.
 */
export function templateEditor(page: Page, testId: string, label: string) {
  const editor = page.getByTestId(testId);
  const text = editor.getByLabel(label, { exact: true });
  const chip = async (name: string, then: string) => {
    await editor.getByRole('button', { name, exact: true }).click();
    await expect(text).toBeFocused();
    await page.keyboard.type(then);
  };
  return { editor, text, chip };
}

/**
 * Clicks «خروجی اکسل» and reads the downloaded .xlsx as its text: an .xlsx is a zip of XML, and the
 * sheet's strings (inline or shared) and its title are in it.
 */
export async function exportedExcelText(page: Page): Promise<string> {
  const download: Promise<Download> = page.waitForEvent('download');
  await page.getByRole('button', { name: 'خروجی اکسل' }).click();
  const xlsx = await JSZip.loadAsync(await readFile(await (await download).path()));
  const parts = Object.values(xlsx.files).filter((f) => f.name.endsWith('.xml'));
  return (await Promise.all(parts.map((f) => f.async('string')))).join('');
}
