/**
 * Audio files (V30, فایل‌های صوتی): the recorded messages the phone system plays. WAV or MP3 only,
 * recognised by their content, at most `AUDIO_MAX_SECONDS` long. HQ manages them; a workflow's call
 * may name one (its template's `audio_file_id`).
 */
import { z } from 'zod';
import { listQuerySchema } from './list.js';
import { codeField, requiredText } from './org.js';
import { toPersianDigits } from './text.js';

export const AUDIO_FORMATS = { wav: 'WAV', mp3: 'MP3' } as const;
export type AudioFormat = keyof typeof AUDIO_FORMATS;
const FORMAT_KEYS = Object.keys(AUDIO_FORMATS) as [AudioFormat, ...AudioFormat[]];

/** The longest message a call plays (a reminder is a few sentences). */
export const AUDIO_MAX_SECONDS = 120;
/** Largest upload: two minutes of 16-bit stereo WAV at 48 kHz is 23 MB. */
export const AUDIO_FILE_MAX_BYTES = 24 * 1024 * 1024;

export const audioFileInputSchema = z.object({
  code: codeField('کد فایل صوتی'),
  title: requiredText(200, 'عنوان فایل صوتی'),
});
export type AudioFileInput = z.infer<typeof audioFileInputSchema>;

export const audioFileSchema = z.object({
  id: z.number().int(),
  code: z.string(),
  title: z.string(),
  format: z.enum(FORMAT_KEYS),
  duration_ms: z.number().int(),
  byte_size: z.number().int(),
  uploaded_by_name: z.string(),
  uploaded_at: z.string(),
});
export type AudioFile = z.infer<typeof audioFileSchema>;

export const audioFileListQuerySchema = listQuerySchema;
export type AudioFileListQuery = z.infer<typeof audioFileListQuerySchema>;

/** A duration as people read it: «۱:۰۵» (minutes:seconds, rounded up to the second). */
export function formatDuration(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const seconds = String(total % 60).padStart(2, '0');
  return toPersianDigits(`${Math.floor(total / 60)}:${seconds}`);
}
