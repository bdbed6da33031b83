import { expect, test } from '@playwright/test';
import { toJalali } from '@vosul/common/jalali';
import {
  adminApi,
  businessDay,
  exportedExcelText,
  fa,
  groupId,
  importSnapshotZip,
  isWorkingDay,
  logIn,
  openFromMenu,
  unique,
  zipSnapshot,
} from './helpers.js';

/** One branch, one borrower with a postal address, her facility 40 days late. */
async function snapshotZip(id: string): Promise<Buffer> {
  return zipSnapshot(id, {
    'branches.csv':
      'branch_code,name,province_code,province_name,address\n' +
      `L${id},شعبه نامه ${id},LP${id},استان ${id},"تهران، خیابان آزادی، پلاک ۱۲"\n`,
    'loan_types.csv': `loan_type_code,title\nLL${id},مضاربه\n`,
    'customers.csv':
      'customer_no,first_name,last_name,gender,national_id,address,branch_code\n' +
      `LC-${id},مریم,نامه ${id},F,0012345679,"اصفهان، خیابان چهارباغ، پلاک ۵",L${id}\n`,
    'facilities.csv':
      'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n' +
      `LF-${id},LC-${id},L${id},LL${id},1403/01/15,50000000\n`,
    'installments.csv':
      'facility_no,seq,due_on,amount,paid_amount\n' + `LF-${id},1,${businessDay(-40)},1500000,0\n`,
    'guarantors.csv': 'facility_no,first_name,last_name\n',
  });
}

/** An introduction letter long enough to run on to a second A4 page: forty clauses, then its last line. */
const INTRO_LETTER =
  '{{gender_title}} {{borrower_last_name}} برای تسویه تسهیلات {{facility_no}} معرفی می‌شوند.\n' +
  Array.from({ length: 40 }, (_, i) => `بند ${i + 1}: شرایط بازپرداخت تسهیلات معرفی‌شده`).join('\n') +
  '\nپایان معرفی‌نامه';

/** The pages of a PDF (its page objects). */
const pagesOf = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0;

test('a branch clerk selects the letters of the queue, prints them on A4 and A5 (a long one on two pages), marks them printed and delivered', async ({
  page,
  request,
}) => {
  // Fridays and holidays are not working days: the planner sends nothing on one (issue 5 point 3)
  test.skip(!(await isWorkingDay(request, businessDay(0))), 'no notification is planned on a day off');
  test.setTimeout(240_000);
  const id = unique();
  const password = `Clerk-Pass-${id}`;
  await importSnapshotZip(request, `snapshot-${id}.zip`, await snapshotZip(id));

  // ---- set up over the API: a warning-notice workflow, today's run (it plans the letter), a clerk ----
  const api = await adminApi(request);
  await api.post('/api/v1/workflows', {
    title: `اخطاریه ${id}`,
    loan_type_codes: [`LL${id}`],
    from_day: 1,
    channels: ['warning_notice', 'intro_letter', 'declaration'],
    recipients: ['borrower'],
    start_time: '09:00',
    templates: [
      {
        channel: 'warning_notice',
        recipient_role: 'borrower',
        text: '{{gender_title}} {{borrower_last_name}}، تسهیلات شماره {{facility_no}} به مدت {{overdue_days}} روز معوق است.',
      },
      { channel: 'intro_letter', recipient_role: 'borrower', text: INTRO_LETTER },
      {
        channel: 'declaration',
        recipient_role: 'borrower',
        text: 'بدین‌وسیله به {{gender_title}} {{borrower_last_name}} اظهار می‌شود مبلغ {{overdue_amount}} ریال بدهی تسهیلات {{facility_no}} را بپردازد.',
      },
    ],
  });
  // a run of another test may still hold the day: start again once it is over
  await expect(async () => {
    const run = await api.post<{ id: number }>('/api/v1/day-runs', {});
    await expect
      .poll(async () => (await api.get<{ status: string }>(`/api/v1/day-runs/${run.id}`)).status, {
        timeout: 120_000,
      })
      .toBe('succeeded');
  }).toPass({ timeout: 200_000 });
  const branches = await api.get<{ items: { id: number; code: string }[] }>('/api/v1/branches', {
    q: `L${id}`,
  });
  const branch = branches.items.find((b) => b.code === `L${id}`)!;
  await api.post('/api/v1/users', {
    username: `clerk.${id}`,
    password,
    first_name: 'کاربر',
    last_name: 'باجه',
    user_type: 'full_time',
    group_ids: [await groupId(api, 'branch_manager')],
    branch_id: branch.id,
  });

  // ---- the clerk's queue: the planned warning notice and introduction letter of her branch ----
  await logIn(page, `clerk.${id}`, password);
  await openFromMenu(page, 'صف چاپ نامه‌ها و اخطاریه‌ها');
  const rows = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: fa(`نامه ${id}`) });
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: 'اخطاریه' })).toHaveCount(1);
  await expect(rows.filter({ hasText: 'معرفی‌نامه' })).toHaveCount(1);
  for (const row of await rows.all()) {
    await expect(row).toContainText('در انتظار چاپ');
    await expect(row).toContainText(fa(toJalali(businessDay(0))));
  }
  await page.getByRole('button', { name: 'انتخاب همه' }).click();

  // ---- «چاپ» on A4: the letters alone, each from a new page, on the branch's letterhead ----
  const print = async () => {
    const printed = page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          window.print = () => resolve();
        }),
    );
    await page.getByRole('button', { name: 'چاپ', exact: true }).click();
    await printed;
  };
  const mediaBox = (pdf: Buffer) => {
    const [, width, height] = /MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(pdf.toString('latin1'))!;
    return [Number(width), Number(height)];
  };
  const paper = page.getByRole('radiogroup', { name: 'اندازه کاغذ' });
  await paper.getByText('A4', { exact: true }).click();
  await expect(paper.getByRole('radio', { name: 'A4' })).toBeChecked();
  await print();
  const sheets = page.getByTestId('letter-sheet');
  await expect(sheets).toHaveCount(2);
  expect(await page.getByTestId('letters-print-styles').textContent()).toContain('size: A4 portrait');
  await page.emulateMedia({ media: 'print' });
  const notice = sheets.filter({ hasText: 'اخطاریه' });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText(fa(`شعبه نامه ${id}`));
  await expect(notice).toContainText(`سرکار خانم نامه ${fa(id)}، تسهیلات شماره ${fa(`LF-${id}`)}`);
  await expect(notice).toContainText('اصفهان، خیابان چهارباغ، پلاک ۵');
  await expect(notice).toContainText('تهران، خیابان آزادی، پلاک ۱۲');
  await expect(sheets.filter({ hasText: 'معرفی‌نامه' })).toContainText('پایان معرفی‌نامه');
  await expect(page.getByRole('button', { name: 'ثبت چاپ' })).toBeHidden();
  // A4 pages (210 × 297 mm = 595.3 × 841.9 pt): the notice on one, the long letter runs on, never cut
  const a4 = await page.pdf({ preferCSSPageSize: true });
  const [a4Width, a4Height] = mediaBox(a4);
  expect(Math.abs(a4Width! - 595.3)).toBeLessThan(1);
  expect(Math.abs(a4Height! - 841.9)).toBeLessThan(1);
  expect(pagesOf(a4)).toBeGreaterThanOrEqual(3);
  await page.emulateMedia({ media: 'screen' });

  // ---- again on A5 (148 × 210 mm = 419.5 × 595.3 pt) ----
  await paper.getByText('A5', { exact: true }).click();
  await expect(paper.getByRole('radio', { name: 'A5' })).toBeChecked();
  await print();
  expect(await page.getByTestId('letters-print-styles').textContent()).toContain('size: A5 portrait');
  await page.emulateMedia({ media: 'print' });
  const a5 = await page.pdf({ preferCSSPageSize: true });
  const [a5Width, a5Height] = mediaBox(a5);
  expect(Math.abs(a5Width! - 419.5)).toBeLessThan(1);
  expect(Math.abs(a5Height! - 595.3)).toBeLessThan(1);
  expect(pagesOf(a5)).toBeGreaterThan(pagesOf(a4));
  await page.emulateMedia({ media: 'screen' });

  // ---- «PDF» of the selection: one document rendered by the server, the long letter on its pages too ----
  const pdfLink = page.getByRole('link', { name: 'PDF', exact: true }).first();
  const batch = await page.request.get(new URL(String(await pdfLink.getAttribute('href')), page.url()).href);
  expect(batch.headers()['content-type']).toContain('application/pdf');
  expect(pagesOf(await batch.body())).toBeGreaterThanOrEqual(3);

  // ---- «ثبت چاپ»: it leaves the letters waiting to be printed ----
  await page.getByRole('button', { name: 'ثبت چاپ' }).click();
  await expect(page.getByText(`چاپ ${fa(2)} نامه ثبت شد.`)).toBeVisible();
  await expect(rows).toHaveCount(0);

  // ---- the printed ones: «ثبت ابلاغ» with today's date ----
  await page.getByRole('combobox', { name: 'وضعیت', exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('چاپ‌شده', { exact: true }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText('کاربر باجه');
  await page.getByRole('button', { name: 'انتخاب همه' }).click();
  await page.getByRole('button', { name: 'ثبت ابلاغ' }).click();
  const dialog = page.getByRole('dialog', { name: 'ثبت ابلاغ' });
  await expect(dialog.getByPlaceholder('۱۴۰۳/۰۱/۰۱')).toHaveValue(fa(toJalali(businessDay(0))));
  await dialog.getByRole('button', { name: 'ثبت', exact: true }).click();
  await expect(page.getByText(`ابلاغ ${fa(2)} نامه ثبت شد.`)).toBeVisible();

  await page.getByRole('combobox', { name: 'وضعیت', exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('ابلاغ‌شده', { exact: true }).click();
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText(fa(toJalali(businessDay(0))));

  // ---- the declaration waits for ثنا: its data to copy, then filed with its tracking number ----
  await openFromMenu(page, 'اظهارنامه‌های ثنا');
  const declaration = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: fa(`نامه ${id}`) });
  await expect(declaration).toHaveCount(1);
  await expect(declaration).toContainText('در انتظار ثبت');
  await expect(declaration).toContainText(fa('0012345679'));
  await declaration.getByRole('button', { name: /expand|گسترش|باز/i }).click();
  const details = page.locator('.ant-table-expanded-row');
  await expect(details).toContainText(`اظهار می‌شود مبلغ ${fa('1,500,000').replace(/,/g, '٬')} ریال`);
  await expect(details).toContainText(fa(`شعبه نامه ${id}`));
  await declaration.getByRole('button', { name: 'ثبت در ثنا' }).click();
  const filing = page.getByRole('dialog', { name: 'ثبت اظهارنامه در ثنا' });
  // ثنا's number is longer: the contract's Persian error stands under the field
  await filing.getByLabel('شماره پیگیری').fill('۱۲۳');
  await filing.getByRole('button', { name: 'ثبت', exact: true }).click();
  await expect(filing.getByText('شماره پیگیری دست‌کم ۶ رقم است')).toBeVisible();
  const save = filing.getByRole('button', { name: 'ثبت', exact: true });
  await expect(save).toBeEnabled();
  await filing.getByLabel('شماره پیگیری').fill(fa(`14${id}`));
  await save.click();
  await expect(page.getByText('اظهارنامه در ثنا ثبت شد.')).toBeVisible();
  await expect(declaration).toHaveCount(0);
  await page.getByRole('combobox', { name: 'وضعیت', exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('ثبت‌شده در ثنا', { exact: true }).click();
  await expect(declaration).toContainText(fa(`14${id}`));
  // the list as filtered, to Excel: the declaration with its tracking number
  const xml = await exportedExcelText(page);
  expect(xml).toContain('اظهارنامه‌ها');
  expect(xml).toContain(`14${id}`);
  expect(xml).toContain('ثبت‌شده در ثنا');
});
