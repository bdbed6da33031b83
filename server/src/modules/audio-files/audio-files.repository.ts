import { sql } from 'kysely';
import { likePattern, type ListQuery } from '@vosul/common';
import type { Executor } from '../../platform/db/database.js';
import { fetchPage } from '../../platform/listing.js';

/** V30: the recorded messages with their stored size (the bytes stay in stored_files). */
function audioFilesQuery(db: Executor) {
  return db
    .selectFrom('audio_files as a')
    .innerJoin('stored_files as f', 'f.id', 'a.file_id')
    .select([
      'a.id',
      'a.code',
      'a.title',
      'a.format',
      'a.duration_ms',
      'f.byte_size',
      'a.uploaded_by_name',
      // as the wire carries it (ISO 8601, UTC)
      sql<string>`to_char(a.uploaded_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`.as(
        'uploaded_at',
      ),
    ]);
}

const SORT: Record<string, string> = {
  code: 'a.code',
  title: 'a.title',
  format: 'a.format',
  duration_ms: 'a.duration_ms',
  byte_size: 'f.byte_size',
  uploaded_by_name: 'a.uploaded_by_name',
  uploaded_at: 'a.uploaded_at',
};

export function findAudioFilePage(db: Executor, list: ListQuery) {
  let query = audioFilesQuery(db);
  if (list.q) {
    const pattern = likePattern(list.q);
    query = query.where((eb) =>
      eb.or([
        eb('a.code', 'ilike', pattern),
        eb('a.title', 'ilike', pattern),
        eb('a.uploaded_by_name', 'ilike', pattern),
      ]),
    );
  }
  const sorted = list.sort ? list : { ...list, sort: 'uploaded_at', order: 'desc' as const };
  return fetchPage(query, sorted, SORT, 'uploaded_at', 'a.id');
}

export function findAudioFile(db: Executor, id: number) {
  return audioFilesQuery(db).where('a.id', '=', id).executeTakeFirst();
}

export function findIdByCode(db: Executor, code: string) {
  return db.selectFrom('audio_files').select('id').where('code', '=', code).executeTakeFirst();
}

export async function findExistingIds(db: Executor, ids: readonly number[]): Promise<number[]> {
  const rows = await db
    .selectFrom('audio_files')
    .select('id')
    .where('id', 'in', [...ids])
    .execute();
  return rows.map((r) => r.id);
}

export function insertAudioFile(
  db: Executor,
  values: {
    code: string;
    title: string;
    format: 'wav' | 'mp3';
    duration_ms: number;
    file_id: string;
    uploaded_by: number;
    uploaded_by_name: string;
  },
) {
  return db.insertInto('audio_files').values(values).returning('id').executeTakeFirstOrThrow();
}

/** The workflows whose call plays one of these files (a file in use is not deleted). */
export function findWorkflowsUsing(db: Executor, ids: readonly number[]) {
  return db
    .selectFrom('workflow_templates as t')
    .innerJoin('workflows as w', 'w.id', 't.workflow_id')
    .innerJoin('audio_files as a', 'a.id', 't.audio_file_id')
    .select(['a.code', 'w.title'])
    .distinct()
    .where('t.audio_file_id', 'in', [...ids])
    .orderBy('a.code')
    .orderBy('w.title')
    .execute();
}

export function deleteAudioFiles(db: Executor, ids: readonly number[]) {
  return db
    .deleteFrom('audio_files')
    .where('id', 'in', [...ids])
    .returning(['id', 'code', 'title', 'format', 'duration_ms', 'file_id'])
    .execute();
}

export function insertStoredFile(
  db: Executor,
  file: { media_type: string; byte_size: number; sha256: string; content: Buffer },
) {
  return db.insertInto('stored_files').values(file).returning('id').executeTakeFirstOrThrow();
}

/** The bytes of one file, or of the range [start, end] of it (read in SQL: never the whole file). */
export function findContent(db: Executor, id: number, range?: { start: number; end: number }) {
  const content = range
    ? sql<Buffer>`substring(f.content from ${range.start + 1} for ${range.end - range.start + 1})`
    : sql<Buffer>`f.content`;
  return db
    .selectFrom('audio_files as a')
    .innerJoin('stored_files as f', 'f.id', 'a.file_id')
    .select(['a.code', 'a.format', 'f.media_type', 'f.byte_size', content.as('content')])
    .where('a.id', '=', id)
    .executeTakeFirst();
}

/**
 * A recording by its content's SHA-256 and format, as the phone system fetches it: only an audio
 * file's content is ever found so (the stored files also hold other uploads). Its bytes only when
 * asked for (a cache revalidating its copy needs to know the recording still exists, not its bytes).
 */
export function findRecordingByContent(
  db: Executor,
  sha256: string,
  format: 'wav' | 'mp3',
  withContent: boolean,
) {
  return db
    .selectFrom('audio_files as a')
    .innerJoin('stored_files as f', 'f.id', 'a.file_id')
    .select((eb) => [
      'f.media_type',
      withContent ? eb.ref('f.content').as('content') : sql<Buffer>`''::bytea`.as('content'),
    ])
    .where('f.sha256', '=', sha256)
    .where('a.format', '=', format)
    .limit(1)
    .executeTakeFirst();
}

export async function deleteStoredFiles(db: Executor, ids: readonly string[]): Promise<void> {
  if (ids.length > 0)
    await db
      .deleteFrom('stored_files')
      .where('id', 'in', [...ids])
      .execute();
}
