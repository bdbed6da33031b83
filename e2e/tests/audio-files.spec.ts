import { expect, test } from '@playwright/test';
import { fa, logInAsAdmin, openFromMenu, searchList, unique } from './helpers.js';

/** A PCM WAV of `seconds` at 8 kHz, 16-bit mono: a 440 Hz tone, as a telephone system plays. */
function wavBytes(seconds: number): Buffer {
  const rate = 8000;
  const data = Buffer.alloc(Math.round(seconds * rate) * 2);
  for (let i = 0; i < data.length / 2; i++)
    data.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), i * 2);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVEfmt ', 8, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(rate, 24);
  h.writeUInt32LE(rate * 2, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(data.length, 40);
  return Buffer.concat([h, data]);
}

test('an administrator uploads a WAV, sees it listed with its length and plays it; a text file is refused', async ({
  page,
}) => {
  test.setTimeout(90_000);
  const code = `REM${unique()}`;
  await logInAsAdmin(page);
  await openFromMenu(page, 'فایل‌های صوتی');

  // ---- a text file named .wav: refused under the file field, in Persian ----
  await page.getByRole('button', { name: 'بارگذاری فایل صوتی', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('کد فایل صوتی', { exact: true }).fill(code);
  await dialog.getByLabel('عنوان فایل صوتی', { exact: true }).fill('یادآوری قسط معوق');
  const input = dialog.locator('input[type=file]');
  await input.setInputFiles({
    name: 'note.wav',
    mimeType: 'audio/wav',
    buffer: Buffer.from('not audio '.repeat(50)),
  });
  await dialog.getByRole('button', { name: 'بارگذاری', exact: true }).click();
  await expect(dialog.getByText('فایل صوتی باید WAV یا MP3 باشد', { exact: false })).toBeVisible();

  // ---- a real WAV of 3.5 seconds: listed with «۰:۰۴» ----
  await input.setInputFiles({ name: 'یادآوری.wav', mimeType: 'audio/wav', buffer: wavBytes(3.5) });
  await dialog.getByRole('button', { name: 'بارگذاری', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('فایل صوتی بارگذاری شد.')).toBeVisible();
  await searchList(page, code);
  const row = page.locator('.ant-table-row').filter({ hasText: code });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('یادآوری قسط معوق');
  await expect(row).toContainText(fa('0:04'));
  await expect(row).toContainText('WAV');

  // ---- the browser's player loads it through the signed-in stream ----
  const audio = row.locator('audio');
  const duration = await audio.evaluate(
    (el: HTMLAudioElement) =>
      new Promise<number>((resolve, reject) => {
        el.addEventListener('loadedmetadata', () => resolve(el.duration), { once: true });
        el.addEventListener('error', () => reject(new Error('audio did not load')), { once: true });
        el.preload = 'metadata';
        el.load();
      }),
  );
  expect(duration).toBeCloseTo(3.5, 1);
});
