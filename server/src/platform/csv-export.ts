import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';

export interface CsvColumn<Row> {
  header: string;
  value(row: Row): string | number | null;
}

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
const field = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * Streams rows as a CSV download for another system to read: UTF-8 without a BOM, comma-separated,
 * a header row of machine names, CRLF line ends.
 */
export function sendCsv<Row>(
  reply: FastifyReply,
  fileName: string,
  columns: readonly CsvColumn<Row>[],
  rows: AsyncIterable<Row> | Iterable<Row>,
): FastifyReply {
  async function* lines() {
    yield columns.map((c) => field(c.header)).join(',') + '\r\n';
    for await (const row of rows) yield columns.map((c) => field(c.value(row))).join(',') + '\r\n';
  }
  return reply
    .header('content-type', 'text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${fileName}.csv"`)
    .send(Readable.from(lines()));
}
