import { createWriteStream, existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import JSZip from 'jszip';
import { AppError } from '../../platform/errors.js';
import { SNAPSHOT_FILES } from '../intake/import.repository.js';

/** The files a snapshot folder may hold (interchange.md), manifest.csv included. */
export const SNAPSHOT_FILE_NAMES = [...Object.keys(SNAPSHOT_FILES), 'manifest.csv'];
export const REQUIRED_SNAPSHOT_FILES = Object.entries(SNAPSHOT_FILES)
  .filter(([, spec]) => !spec.optional)
  .map(([file]) => file);

/** Largest file one upload may carry (a CSV or the zip), and the most a zip may unpack to. */
export const MAX_UPLOAD_FILE_BYTES = 1024 * 1024 * 1024;
export const MAX_UNZIPPED_BYTES = 8 * 1024 * 1024 * 1024;

const listOfFiles = SNAPSHOT_FILE_NAMES.join('، ');

/** The snapshot file a name stands for (lower-cased), or a 400 naming it. */
export function snapshotFileName(name: string): string {
  const lower = name.trim().toLowerCase();
  if (!SNAPSHOT_FILE_NAMES.includes(lower))
    throw new AppError(
      'validation_failed',
      `فایل «${name}» از فایل‌های اطلاعات کربنکینگ نیست؛ فایل‌های مجاز: ${listOfFiles} یا یک فایل zip از آن‌ها`,
      'files',
    );
  return lower;
}

/**
 * Unpacks a zip of snapshot files into `folder`: the files may sit at the top or in one folder
 * inside the zip; anything else (a path that climbs out, an unknown file) refuses the whole zip, and
 * unpacking stops once `maxBytes` have come out (a zip bomb).
 */
export async function extractSnapshotZip(zipFile: string, folder: string, maxBytes = MAX_UNZIPPED_BYTES) {
  let zip: JSZip;
  try {
    zip = await JSZip.loadAsync(await readFile(zipFile), { checkCRC32: false });
  } catch {
    throw new AppError('validation_failed', 'فایل zip خراب است یا zip نیست', 'files');
  }
  const entries: { entry: JSZip.JSZipObject; file: string }[] = [];
  const parents = new Set<string>();
  for (const entry of Object.values(zip.files)) {
    const raw =
      (entry as JSZip.JSZipObject & { unsafeOriginalName?: string }).unsafeOriginalName ?? entry.name;
    const parts = raw.split('/');
    if (raw.startsWith('/') || raw.includes('\\') || /^[A-Za-z]:/.test(raw) || parts.includes('..'))
      throw new AppError('validation_failed', `مسیر «${raw}» در فایل zip مجاز نیست`, 'files');
    if (entry.dir || parts[0] === '__MACOSX' || parts.at(-1)?.startsWith('.')) continue;
    if (parts.length > 2)
      throw new AppError(
        'validation_failed',
        `فایل «${raw}» در zip در پوشه‌های تودرتو است؛ فایل‌ها باید در ریشه zip یا در یک پوشه باشند`,
        'files',
      );
    parents.add(parts.length === 2 ? parts[0]! : '');
    entries.push({ entry, file: snapshotFileName(parts.at(-1)!) });
  }
  if (parents.size > 1)
    throw new AppError('validation_failed', 'فایل‌های zip باید همه در یک پوشه باشند', 'files');
  const seen = new Set<string>();
  for (const { file } of entries) {
    if (seen.has(file))
      throw new AppError('validation_failed', `فایل «${file}» دو بار در zip آمده است`, 'files');
    seen.add(file);
  }
  if (entries.length === 0)
    throw new AppError('validation_failed', 'فایل zip هیچ فایل اطلاعاتی ندارد', 'files');
  let total = 0;
  for (const { entry, file } of entries) {
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        total += chunk.length;
        if (total > maxBytes)
          done(
            new AppError(
              'payload_too_large',
              `حجم فایل‌های درون zip از ${Math.round(maxBytes / 1024 / 1024)} مگابایت بیشتر است`,
              'files',
            ),
          );
        else done(null, chunk);
      },
    });
    try {
      await pipeline(entry.nodeStream('nodebuffer'), counter, createWriteStream(path.join(folder, file)));
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('validation_failed', `فایل «${file}» در zip خراب است`, 'files');
    }
  }
  await rm(zipFile, { force: true });
}

/** Refuses an upload that lacks a file every snapshot must have, naming them. */
export function checkRequiredFiles(folder: string): void {
  const missing = REQUIRED_SNAPSHOT_FILES.filter((f) => !existsSync(path.join(folder, f)));
  if (missing.length > 0)
    throw new AppError(
      'validation_failed',
      `این فایل‌ها لازم‌اند و ارسال نشده‌اند: ${missing.join('، ')}`,
      'files',
    );
}
