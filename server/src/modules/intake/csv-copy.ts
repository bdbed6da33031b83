import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { SnapshotColumn } from './snapshot-format.js';
import { normalizeField, PARSERS } from './snapshot-values.js';

/**
 * A streaming CSV (RFC 4180: quotes, doubled quotes, CRLF or LF) → PostgreSQL COPY text-format
 * transform. Bytes in, COPY lines out, one line per data record:
 * `line \t reject \t col1 \t col2 …` where `line` is the physical line the record starts on (the
 * header is line 1) and `reject` is NULL or why the record could not be read (wrong number of
 * fields). The header maps the wanted columns by name (any order; unknown ones ignored, missing
 * ones NULL). Each value is normalised (digits, Arabic letters, blanks) and a checked column is
 * written as its stored form and, when invalid, as `<name>_bad` (see snapshot-format.ts). Decoding is strict UTF-8 (a BOM is dropped) or Windows-1256. Memory stays bounded by
 * one input chunk plus one record, whatever the file size; backpressure comes from the pipeline.
 */
export type Encoding = 'utf-8' | 'windows-1256';

export class NotUtf8Error extends Error {}

export interface CsvCopyStats {
  /** data records read (the header and blank lines not counted) */
  rows: number;
  sha256: string;
}

const enum State {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

export class CsvToCopy extends Transform {
  private readonly decoder: TextDecoder;
  private readonly hash = createHash('sha256');
  private state = State.FieldStart;
  private field = '';
  private record: string[] = [];
  private line = 1;
  private recordLine = 1;
  private header: string[] | null = null;
  private columnIndex: (number | undefined)[] = [];
  private readonly parsers: (((value: string) => string | null) | undefined)[];
  private readonly unreadable: string;
  private out: string[] = [];
  rows = 0;

  constructor(
    private readonly file: string,
    private readonly columns: readonly SnapshotColumn[],
    encoding: Encoding,
    /** called with the header's column names (normalised) once it is read; may throw */
    private readonly onHeader: (names: string[]) => void = () => undefined,
  ) {
    super({ readableObjectMode: false });
    this.decoder = new TextDecoder(encoding, { fatal: true });
    this.parsers = columns.map((c) => (c.kind === 'text' ? undefined : PARSERS[c.kind]));
    this.unreadable = columns.map((c) => (c.kind === 'text' ? '\t\\N' : '\t\\N\t\\N')).join('');
  }

  /** Once the stream has ended: the data records read and the file's SHA-256. */
  result(): CsvCopyStats {
    return { rows: this.rows, sha256: this.hash.digest('hex') };
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.hash.update(chunk);
      this.feed(this.decode(chunk, true));
      this.flushOut();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.feed(this.decode(undefined, false));
      if (this.state !== State.FieldStart) {
        this.record.push(this.field);
        this.field = '';
        this.state = State.FieldStart;
      } else if (this.record.length > 0) {
        this.record.push('');
      }
      if (this.record.length > 0) this.endRecord();
      if (this.header === null) this.onHeader([]);
      this.flushOut();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private decode(chunk: Buffer | undefined, stream: boolean): string {
    try {
      return this.decoder.decode(chunk, { stream });
    } catch {
      throw new NotUtf8Error(
        `${this.file}: not valid UTF-8 near line ${this.line} (for a Windows-1256 file use --encoding windows-1256)`,
      );
    }
  }

  private flushOut(): void {
    if (this.out.length > 0) {
      this.push(this.out.join(''));
      this.out = [];
    }
  }

  private feed(s: string): void {
    const n = s.length;
    let start = 0; // start of the pending slice of the current field within s
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      switch (this.state) {
        case State.FieldStart:
          if (c === 34 /* " */) {
            this.state = State.Quoted;
            start = i + 1;
          } else if (c === 44 /* , */) {
            this.record.push('');
            start = i + 1;
          } else if (c === 10 /* \n */) {
            if (this.record.length > 0) this.record.push('');
            this.endRecord();
            this.line++;
            this.recordLine = this.line;
            start = i + 1;
          } else if (c === 13 /* \r */) {
            start = i + 1;
          } else {
            this.state = State.Unquoted;
            start = i;
          }
          break;
        case State.Unquoted:
          if (c === 44) {
            this.record.push(this.field + s.slice(start, i));
            this.field = '';
            this.state = State.FieldStart;
            start = i + 1;
          } else if (c === 10) {
            this.record.push(this.field + s.slice(start, i));
            this.field = '';
            this.state = State.FieldStart;
            start = i + 1;
            this.endRecord();
            this.line++;
            this.recordLine = this.line;
          } else if (c === 13) {
            // CRLF: the CR is dropped, the LF ends the record
            this.field += s.slice(start, i);
            start = i + 1;
          }
          break;
        case State.Quoted:
          if (c === 34) {
            this.field += s.slice(start, i);
            this.state = State.QuoteInQuoted;
            start = i + 1;
          } else if (c === 10) {
            this.line++;
          }
          break;
        case State.QuoteInQuoted:
          if (c === 34) {
            this.field += '"';
            this.state = State.Quoted;
            start = i + 1;
          } else if (c === 44) {
            this.record.push(this.field);
            this.field = '';
            this.state = State.FieldStart;
            start = i + 1;
          } else if (c === 10) {
            this.record.push(this.field);
            this.field = '';
            this.state = State.FieldStart;
            this.endRecord();
            this.line++;
            this.recordLine = this.line;
            start = i + 1;
          } else if (c === 13) {
            start = i + 1;
          } else {
            // a stray character after a closing quote: kept, read on as unquoted text
            this.state = State.Unquoted;
            start = i;
          }
          break;
      }
    }
    if (this.state === State.Unquoted || this.state === State.Quoted) this.field += s.slice(start);
  }

  private endRecord(): void {
    const record = this.record;
    this.record = [];
    if (record.length === 0 || (record.length === 1 && record[0]!.trim() === '')) return; // blank line
    if (this.header === null) {
      this.header = record.map((h) =>
        h
          .replace(/^\uFEFF/, '')
          .trim()
          .toLowerCase(),
      );
      this.columnIndex = this.columns.map((c) => {
        const i = this.header!.indexOf(c.name);
        return i >= 0 ? i : undefined;
      });
      this.onHeader(this.header);
      return;
    }
    this.rows++;
    let text = String(this.recordLine);
    if (record.length !== this.header.length) {
      text += `\twrong number of fields: ${record.length} instead of ${this.header.length}` + this.unreadable;
    } else {
      text += '\t\\N';
      for (let k = 0; k < this.columnIndex.length; k++) {
        const idx = this.columnIndex[k];
        const value = idx === undefined ? '' : normalizeField(record[idx]!);
        const parse = this.parsers[k];
        if (parse === undefined) text += value === '' ? '\t\\N' : '\t' + escapeCopy(value);
        else if (value === '') text += '\t\\N\t\\N';
        else {
          const parsed = parse(value);
          text += parsed === null ? '\t\\N\t' + escapeCopy(value) : '\t' + escapeCopy(parsed) + '\t\\N';
        }
      }
    }
    this.out.push(text + '\n');
  }
}

const COPY_SPECIAL = /[\\\t\n\r\0]/;

function escapeCopy(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r\0]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : '',
  );
}
