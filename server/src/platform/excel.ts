import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { FastifyContextConfig, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ModuleRoutes } from './http/module.js';

export interface ExcelColumn<Row> {
  header: string;
  width?: number;
  value(row: Row): string | number | null;
}

const MAX_ROWS_PER_SHEET = 1_048_575; // Excel's limit less the header row

/**
 * Streams rows into an .xlsx download without holding the workbook in memory; past Excel's row limit
 * the export continues on further sheets. Sheets are right-to-left for Persian readers.
 */
export async function sendExcel<Row>(
  reply: FastifyReply,
  fileName: string,
  sheetTitle: string,
  columns: readonly ExcelColumn<Row>[],
  rows: AsyncIterable<Row> | Iterable<Row>,
): Promise<FastifyReply> {
  const stream = new PassThrough();
  void reply
    .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    .header(
      'content-disposition',
      `attachment; filename="${fileName}.xlsx"; filename*=UTF-8''${encodeURIComponent(fileName)}.xlsx`,
    );
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true });
  const write = async () => {
    let sheetNo = 0;
    let sheet: ExcelJS.Worksheet | undefined;
    let inSheet = MAX_ROWS_PER_SHEET;
    for await (const row of rows) {
      if (inSheet >= MAX_ROWS_PER_SHEET) {
        sheet?.commit();
        sheetNo += 1;
        sheet = workbook.addWorksheet(sheetNo === 1 ? sheetTitle : `${sheetTitle} ${sheetNo}`, {
          views: [{ rightToLeft: true }],
        });
        sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 18 }));
        sheet.getRow(1).font = { bold: true };
        inSheet = 0;
      }
      sheet!.addRow(columns.map((c) => c.value(row))).commit();
      inSheet += 1;
    }
    if (!sheet) {
      sheet = workbook.addWorksheet(sheetTitle, { views: [{ rightToLeft: true }] });
      sheet.columns = columns.map((c) => ({ header: c.header, width: c.width ?? 18 }));
    }
    sheet.commit();
    await workbook.commit();
  };
  write().catch((err: unknown) => stream.destroy(err as Error));
  return reply.send(stream);
}

type ExportRequest<Query extends z.ZodType> = FastifyRequest & { query: z.output<Query> };

/**
 * GET `path`: what `rows` gives for the request (typically a service's recorded export, see
 * export-log.ts), sent as the .xlsx download `file.name` with its rows on sheet `file.sheet`.
 */
export function excelExportRoute<Query extends z.ZodType, Row>(
  app: Parameters<ModuleRoutes>[0],
  path: string,
  options: { config: FastifyContextConfig; schema: { tags: string[]; querystring: Query } },
  rows: (req: ExportRequest<Query>) => Promise<AsyncIterable<Row> | Iterable<Row>>,
  file: { name: string; sheet: string; columns: readonly ExcelColumn<Row>[] },
): void {
  app.get(path, options, async (req, reply) =>
    // The provider validated the query against `querystring`; its type only stays generic here.
    sendExcel(reply, file.name, file.sheet, file.columns, await rows(req as ExportRequest<Query>)),
  );
}
