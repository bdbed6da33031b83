import { expect, test, type APIRequestContext } from '@playwright/test';
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
 * One branch with four facilities: OA unpaid 20 days (current), OB 100 days (past due), OC 300 days
 * (deferred), OD paid up (not in arrears). Class thresholds are the loan type's defaults (60/180/540).
 */
async function snapshotZip(id: string): Promise<Buffer> {
  const letters = ['A', 'B', 'C', 'D'];
  const late = { A: 20, B: 100, C: 300, D: 40 };
  return zipSnapshot(id, {
    'branches.csv': `branch_code,name,province_code,province_name\nO${id},شعبه معوق ${id},OP${id},استان ${id}\n`,
    'loan_types.csv': `loan_type_code,title\nOL${id},مرابحه\n`,
    'customers.csv':
      'customer_no,first_name,last_name,mobile,branch_code\n' +
      letters.map((l, i) => `OC${l}-${id},سارا,معوق ${l} ${id},0912555000${i},O${id}\n`).join(''),
    'facilities.csv':
      'facility_no,customer_no,branch_code,loan_type_code,granted_on,principal\n' +
      letters.map((l) => `O${l}-${id},OC${l}-${id},O${id},OL${id},1400/01/15,90000000\n`).join(''),
    'installments.csv':
      'facility_no,seq,due_on,amount,paid_amount\n' +
      letters
        .map(
          (l) =>
            `O${l}-${id},1,${businessDay(-late[l as keyof typeof late])},2000000,${l === 'D' ? 2000000 : 0}\n`,
        )
        .join(''),
    'guarantors.csv': `facility_no,first_name,last_name\nOA-${id},رضا,ضامن ${id}\n`,
  });
}

/** Loads the snapshot as the bank's import does, then runs today's day over it (as HQ would). */
async function prepareArrears(request: APIRequestContext, id: string): Promise<void> {
  const csrf = await importSnapshotZip(request, `snapshot-${id}.zip`, await snapshotZip(id));

  // another test's run may hold the day: start ours once it is done, then follow it to its end
  let runId = 0;
  await expect
    .poll(
      async () => {
        const res = await request.post('/api/v1/day-runs', {
          headers: { 'x-csrf-token': csrf },
          data: { date: businessDay(0) },
        });
        if (res.status() === 202) runId = ((await res.json()) as { id: number }).id;
        return res.status();
      },
      { timeout: 90_000, intervals: [2_000] },
    )
    .toBe(202);
  const runStatus = async () => {
    const run = (await (await request.get(`/api/v1/day-runs/${runId}`)).json()) as {
      status: string;
      message: string | null;
    };
    // a failed run says why; waiting on would only hide it
    if (run.status === 'failed' || run.status === 'refused')
      throw new Error(`day run ${run.status}: ${run.message}`);
    return run.status;
  };
  await expect.poll(runStatus, { timeout: 90_000 }).toBe('succeeded');
}

test("the administrator lists a branch's facilities in arrears, filters by class and sorts by overdue days", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  const id = unique();
  await prepareArrears(request, id);

  await logInAsAdmin(page);
  await openFromMenu(page, 'پرونده‌های معوق');
  const rows = page.locator('.ant-table-tbody tr.ant-table-row');
  const listed = (params: (p: URLSearchParams) => boolean) =>
    page.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === '/api/v1/overdue-facilities' && params(url.searchParams);
    });

  // ---- the branch: its three facilities in arrears, most overdue first; the paid one is not there ----
  await pickOption(
    page,
    page.getByRole('combobox', { name: 'شعبه', exact: true }),
    id,
    fa(`O${id} - شعبه معوق ${id}`),
  );
  let answered = listed((p) => p.has('branch_id'));
  await page.getByRole('button', { name: 'جستجو', exact: true }).click();
  await answered;
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText(`OC-${id}`);
  await expect(rows.nth(1)).toContainText(`OB-${id}`);
  await expect(rows.nth(2)).toContainText(`OA-${id}`);
  await expect(page.getByText(`OD-${id}`)).toHaveCount(0);
  await expect(rows.nth(0)).toContainText(fa(300));
  await expect(rows.nth(0)).toContainText(formatMoney('2000000')); // the overdue amount, with separators

  // ---- one class: every row shown carries it ----
  await page.getByRole('combobox', { name: 'طبقه', exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('سررسید گذشته', { exact: true }).click();
  await page.keyboard.press('Escape');
  answered = listed((p) => p.get('cbi_class') === 'past_due');
  await page.getByRole('button', { name: 'جستجو', exact: true }).click();
  await answered;
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toContainText(`OB-${id}`);
  const classes = await rows.getByTestId('cbi-class').allTextContents();
  expect(classes.length).toBeGreaterThan(0);
  expect(classes.every((c) => c === 'سررسید گذشته')).toBe(true);

  // ---- back to every class (the list may come from the cache: no request to wait for) ----
  await page.getByRole('combobox', { name: 'طبقه', exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('سررسید گذشته', { exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'جستجو', exact: true }).click();
  await expect(rows).toHaveCount(3);

  // ---- sorted by overdue days: the list opens most first; another column first, then fewest first ----
  answered = listed((p) => p.get('sort') === 'overdue_amount');
  await page.getByRole('columnheader', { name: 'مبلغ معوق (ریال)' }).click();
  await answered;
  await expect(page.locator('.ant-spin-spinning')).toHaveCount(0);
  answered = listed((p) => p.get('sort') === 'overdue_days' && p.get('order') === 'asc');
  await page.getByRole('columnheader', { name: 'روزهای معوق' }).click();
  await answered;
  await expect(rows.nth(0)).toContainText(`OA-${id}`);
  await expect(rows.nth(1)).toContainText(`OB-${id}`);
  await expect(rows.nth(2)).toContainText(`OC-${id}`);
  await expect(rows.nth(0).getByTestId('cbi-class')).toHaveText('جاری');
  await expect(rows.nth(2).getByTestId('cbi-class')).toHaveText('معوق');
  await page.getByRole('columnheader', { name: 'روزهای معوق' }).click();
  await expect(rows.nth(0)).toContainText(`OC-${id}`);
  await expect(rows.nth(2)).toContainText(`OA-${id}`);

  // ---- the facility number opens the facility ----
  await rows
    .first()
    .getByRole('link', { name: `OC-${id}` })
    .click();
  await expect(page).toHaveURL(new RegExp(`/facilities/OC-${id}$`));
});
