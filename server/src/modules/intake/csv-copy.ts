import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import {
  COMMA,
  cookField,
  CR,
  LF,
  QUOTE,
  TAB,
  trimEnd,
  trimStart,
  writeAscii,
  writeFastAmount,
  writeFastDate,
  writeFastInt,
  writeNormalized,
  writeNull,
  writeUint,
} from './csv-bytes.js';
import type { SnapshotColumn } from './snapshot-format.js';
import { normalizeField, PARSERS, type ValueKind } from './snapshot-values.js';

/**
 * A streaming CSV (RFC 4180: quotes, doubled quotes, CRLF or LF) → PostgreSQL COPY text-format
 * transform. Bytes in, COPY lines out, one line per data record:
 * `line \t reject \t col1 \t col2 …` where `line` is the physical line the record starts on (the
 * header is line 1) and `reject` is NULL or why the record could not be read (wrong number of
 * fields). The header maps the wanted columns by name (any order; unknown ones ignored, missing
 * ones NULL). Each value is normalised (digits, Arabic letters, blanks) and a checked column is
 * written as its stored form and, when invalid, as `<name>_bad` (see snapshot-format.ts). Decoding
 * is strict UTF-8 (a BOM is dropped) or Windows-1256. Memory stays bounded by one input chunk plus
 * one record, whatever the file size; backpressure comes from the pipeline.
 *
 * It works on bytes (files run to tens of millions of rows): Windows-1256 is converted to UTF-8
 * first, the unfinished record of a chunk is carried over to the next, fields are byte ranges and
 * the COPY text is written straight into an output buffer (csv-bytes.ts).
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

/** the size of an output buffer: a few COPY lines would be too many pushes, the file too much memory */
const OUT_SIZE = 2 << 20;

type FastWriter = (buf: Uint8Array, s: number, e: number, out: Uint8Array, pos: number) => number;
type Parser = (value: string) => string | null;

/** byte fast paths for the forms that fill the big files; anything else goes to the string parser */
const FAST_WRITERS: Partial<Record<ValueKind, FastWriter>> = {
  int: writeFastInt,
  amount: writeFastAmount,
  date: writeFastDate,
};

export class CsvToCopy extends Transform {
  private readonly decoder: TextDecoder | null;
  private readonly hash = createHash('sha256');
  private readonly parsers: (Parser | undefined)[];
  private readonly fastWriters: (FastWriter | undefined)[];
  /** the room a record needs in the output beyond twice its input bytes */
  private readonly lineOverhead: number;

  // the input not yet read: the unfinished record of the previous chunk, then the new bytes
  private input = Buffer.alloc(0);
  private inputEnd = 0;
  /** UTF-8 validated up to here (always at a line start) */
  private checked = 0;
  private atFileStart = true;

  // the scanner, resumed where the previous chunk ended
  private state = State.FieldStart;
  private pos = 0;
  private fieldStart = 0;
  private quoteEnd = 0;
  private lastCr = -1;
  private fieldDirty = false;
  private recordStart = 0;
  private line = 1;
  private recordLine = 1;

  // the fields of the current record: byte ranges of the input, cooked ones not yet undoubled
  private starts = new Int32Array(64);
  private ends = new Int32Array(64);
  private dirty = new Uint8Array(64);
  private fieldCount = 0;
  private recordDirty = false;

  private header: string[] | null = null;
  private columnIndex: number[] = [];

  private out = Buffer.allocUnsafe(OUT_SIZE);
  private outPos = 0;
  private outPushed = 0;
  rows = 0;

  constructor(
    private readonly file: string,
    private readonly columns: readonly SnapshotColumn[],
    encoding: Encoding,
    /** called with the header's column names (normalised) once it is read; may throw */
    private readonly onHeader: (names: string[]) => void = () => undefined,
  ) {
    super({ readableObjectMode: false });
    this.decoder = encoding === 'utf-8' ? null : new TextDecoder(encoding);
    this.parsers = columns.map((c) => (c.kind === 'text' ? undefined : PARSERS[c.kind]));
    this.fastWriters = columns.map((c) => FAST_WRITERS[c.kind]);
    this.lineOverhead = 128 + 8 * columns.length;
  }

  /** Once the stream has ended: the data records read and the file's SHA-256. */
  result(): CsvCopyStats {
    return { rows: this.rows, sha256: this.hash.digest('hex') };
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.hash.update(chunk);
      this.append(this.decoder ? Buffer.from(this.decoder.decode(chunk, { stream: true })) : chunk);
      this.consume(false);
      this.pushOut();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      if (this.decoder) this.append(Buffer.from(this.decoder.decode()));
      this.consume(true);
      if (this.header === null) this.onHeader([]);
      this.pushOut();
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  private append(bytes: Buffer): void {
    const end = this.inputEnd + bytes.length;
    if (end > this.input.length) {
      const grown = Buffer.allocUnsafe(Math.max(end, 2 * this.input.length));
      this.input.copy(grown, 0, 0, this.inputEnd);
      this.input = grown;
    }
    bytes.copy(this.input, this.inputEnd);
    this.inputEnd = end;
  }

  /** Reads what the input holds; at the end of the file also the last record without its newline. */
  private consume(atEnd: boolean): void {
    if (this.decoder)
      this.checked = this.inputEnd; // converted from Windows-1256, so valid UTF-8
    else {
      if (this.atFileStart && !this.skipBom(atEnd)) return;
      this.validate(atEnd);
    }
    this.scan();
    if (atEnd) this.endLastRecord();
    else this.dropReadInput();
  }

  /** false while too few bytes came to tell whether the file starts with a BOM */
  private skipBom(atEnd: boolean): boolean {
    const input = this.input;
    if (this.inputEnd < 3 && !atEnd) return false;
    this.atFileStart = false;
    if (this.inputEnd >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) {
      this.pos = this.recordStart = this.checked = 3;
    }
    return true;
  }

  /** Checks the complete lines (a newline byte always ends a character), at the end all the rest. */
  private validate(atEnd: boolean): void {
    if (this.inputEnd === 0) return;
    const end = atEnd ? this.inputEnd : this.input.lastIndexOf(LF, this.inputEnd - 1) + 1;
    if (end <= this.checked) return;
    if (!isUtf8(this.input.subarray(this.checked, end))) {
      throw new NotUtf8Error(
        `${this.file}: not valid UTF-8 near line ${this.invalidLine(end)} (for a Windows-1256 file use --encoding windows-1256)`,
      );
    }
    this.checked = end;
  }

  /** The line of the first invalid byte before end; the scanner stands on the line of `checked`. */
  private invalidLine(end: number): number {
    let line = this.line;
    for (let s = this.checked; ; line++) {
      const newline = this.input.indexOf(LF, s);
      const lineEnd = newline < 0 || newline >= end ? end : newline + 1;
      if (lineEnd === end || !isUtf8(this.input.subarray(s, lineEnd))) return line;
      s = lineEnd;
    }
  }

  /** Keeps only the unfinished record, moved to the start of the input buffer. */
  private dropReadInput(): void {
    const shift = this.recordStart;
    if (shift === 0) return;
    this.input.copyWithin(0, shift, this.inputEnd);
    this.inputEnd -= shift;
    this.pos -= shift;
    this.checked -= shift;
    this.fieldStart -= shift;
    this.quoteEnd -= shift;
    this.lastCr -= shift;
    for (let k = 0; k < this.fieldCount; k++) {
      this.starts[k]! -= shift;
      this.ends[k]! -= shift;
    }
    this.recordStart = 0;
  }

  /** The CSV state machine over the new input bytes; a record is written when its newline comes. */
  private scan(): void {
    const input = this.input;
    const end = this.inputEnd;
    let state = this.state;
    for (let i = this.pos; i < end; i++) {
      const c = input[i]!;
      switch (state) {
        case State.FieldStart:
          if (c === QUOTE) {
            state = State.Quoted;
            this.fieldStart = i;
            this.fieldDirty = false;
          } else if (c === COMMA) this.addField(i, i, false);
          else if (c === LF) {
            if (this.fieldCount > 0) this.addField(i, i, false);
            this.endRecord(i);
          } else if (c !== CR) {
            state = State.Unquoted;
            this.fieldStart = i;
            this.fieldDirty = false;
            this.lastCr = -1;
          }
          break;
        case State.Unquoted:
          // the hot path: most fields are unquoted, so run to their end here
          while (i < end && !isUnquotedSpecial(input[i]!)) i++;
          if (i === end) break;
          if (input[i] === CR) {
            if (this.lastCr >= 0) this.fieldDirty = true; // a second CR: only cooking drops both
            this.lastCr = i;
            break;
          }
          this.endUnquoted(i);
          state = State.FieldStart;
          if (input[i] === LF) this.endRecord(i);
          break;
        case State.Quoted:
          if (c === QUOTE) {
            state = State.QuoteInQuoted;
            this.quoteEnd = i;
          } else if (c === LF) this.line++;
          break;
        case State.QuoteInQuoted:
          if (c === QUOTE) {
            state = State.Quoted; // a doubled quote, undoubled by cooking
            this.fieldDirty = true;
          } else if (c === COMMA || c === LF) {
            this.endQuoted(i);
            state = State.FieldStart;
            if (c === LF) this.endRecord(i);
          } else if (c !== CR) {
            state = State.Unquoted; // a stray character after the closing quote: read on as unquoted
            this.fieldDirty = true;
          }
          break;
      }
    }
    this.state = state;
    this.pos = end;
  }

  private endUnquoted(end: number): void {
    const lastCr = this.lastCr;
    if (this.fieldDirty || (lastCr >= 0 && lastCr !== end - 1)) this.addField(this.fieldStart, end, true);
    else this.addField(this.fieldStart, lastCr >= 0 ? lastCr : end, false); // a CR before the end is dropped
  }

  private endQuoted(end: number): void {
    if (this.fieldDirty) this.addField(this.fieldStart, end, true);
    else this.addField(this.fieldStart + 1, this.quoteEnd, false);
  }

  /** At the end of the file: the record the last newline did not end. */
  private endLastRecord(): void {
    const end = this.inputEnd;
    switch (this.state) {
      case State.FieldStart:
        if (this.fieldCount > 0) this.addField(end, end, false);
        break;
      case State.Unquoted:
        this.endUnquoted(end);
        break;
      case State.Quoted:
        this.addField(this.fieldStart, end, true);
        break;
      case State.QuoteInQuoted:
        this.endQuoted(end);
        break;
    }
    this.state = State.FieldStart;
    if (this.fieldCount > 0) this.writeRecord(end);
  }

  private addField(start: number, end: number, dirty: boolean): void {
    const k = this.fieldCount;
    if (k === this.starts.length) this.growFields();
    this.starts[k] = start;
    this.ends[k] = end;
    this.dirty[k] = dirty ? 1 : 0;
    this.recordDirty ||= dirty;
    this.fieldCount = k + 1;
  }

  private growFields(): void {
    const n = 2 * this.starts.length;
    const [starts, ends, dirty] = [new Int32Array(n), new Int32Array(n), new Uint8Array(n)];
    starts.set(this.starts);
    ends.set(this.ends);
    dirty.set(this.dirty);
    [this.starts, this.ends, this.dirty] = [starts, ends, dirty];
  }

  /** At a record's newline: writes it, then the next record starts on the next line. */
  private endRecord(newline: number): void {
    this.writeRecord(newline);
    this.line++;
    this.recordLine = this.line;
    this.recordStart = newline + 1;
  }

  private writeRecord(end: number): void {
    const count = this.fieldCount;
    this.fieldCount = 0;
    if (count === 0) return; // an empty line
    if (this.recordDirty) this.cookFields(count);
    if (count === 1 && this.isBlank(0)) return;
    if (this.header === null) this.readHeader(count);
    else {
      this.rows++;
      this.ensureOut(2 * (end - this.recordStart) + this.lineOverhead);
      this.outPos = this.writeLine(count, this.out, this.outPos);
    }
  }

  private cookFields(count: number): void {
    for (let k = 0; k < count; k++) {
      if (this.dirty[k] === 1) this.ends[k] = cookField(this.input, this.starts[k]!, this.ends[k]!);
    }
    this.recordDirty = false;
  }

  /** A line of blanks only (as String.trim sees them) is no record. */
  private isBlank(k: number): boolean {
    if (this.starts[k] === this.ends[k]) return true;
    const first = this.input[this.starts[k]!]!;
    if (first > 0x20 && first < 0x80) return false;
    return this.fieldText(k).trim() === '';
  }

  private fieldText(k: number): string {
    return this.input.toString('utf8', this.starts[k], this.ends[k]);
  }

  private readHeader(count: number): void {
    const names: string[] = [];
    for (let k = 0; k < count; k++) {
      names.push(
        this.fieldText(k)
          .replace(/^\uFEFF/, '')
          .trim()
          .toLowerCase(),
      );
    }
    this.header = names;
    this.columnIndex = this.columns.map((c) => names.indexOf(c.name));
    this.onHeader(names);
  }

  private writeLine(count: number, out: Buffer, pos: number): number {
    pos = writeUint(this.recordLine, out, pos);
    const expected = this.header!.length;
    if (count !== expected) {
      pos = writeAscii(`\twrong number of fields: ${count} instead of ${expected}`, out, pos);
      for (let k = 0; k < this.columns.length; k++) pos = this.writeNull(k, out, pos);
    } else {
      pos = writeNull(out, pos);
      for (let k = 0; k < this.columns.length; k++) pos = this.writeColumn(k, out, pos);
    }
    out[pos] = LF;
    return pos + 1;
  }

  private writeNull(k: number, out: Buffer, pos: number): number {
    pos = writeNull(out, pos);
    return this.parsers[k] ? writeNull(out, pos) : pos;
  }

  private writeColumn(k: number, out: Buffer, pos: number): number {
    const field = this.columnIndex[k]!;
    if (field < 0) return this.writeNull(k, out, pos);
    const s = trimStart(this.input, this.starts[field]!, this.ends[field]!);
    const e = trimEnd(this.input, s, this.ends[field]!);
    if (s === e) return this.writeNull(k, out, pos);
    out[pos++] = TAB;
    if (this.parsers[k] === undefined) return writeNormalized(this.input, s, e, out, pos);
    const fast = this.fastWriters[k]?.(this.input, s, e, out, pos) ?? -1;
    return fast >= 0 ? writeNull(out, fast) : this.writeParsed(k, s, e, out, pos);
  }

  /** A checked value the fast paths do not take: read as a string by its parser. */
  private writeParsed(k: number, s: number, e: number, out: Buffer, pos: number): number {
    const parsed = this.parsers[k]!(normalizeField(this.input.toString('utf8', s, e)));
    if (parsed === null) {
      pos = writeAscii('\\N\t', out, pos);
      return writeNormalized(this.input, s, e, out, pos);
    }
    pos += out.write(escapeCopy(parsed), pos, 'utf8');
    return writeNull(out, pos);
  }

  /** Makes room for n bytes, pushing the full buffer (never written again) for a new one. */
  private ensureOut(n: number): void {
    if (this.outPos + n <= this.out.length) return;
    this.pushOut();
    this.out = Buffer.allocUnsafe(Math.max(OUT_SIZE, n));
    this.outPos = this.outPushed = 0;
  }

  private pushOut(): void {
    if (this.outPos === this.outPushed) return;
    this.push(this.out.subarray(this.outPushed, this.outPos));
    this.outPushed = this.outPos;
  }
}

const isUnquotedSpecial = (c: number) => c === COMMA || c === LF || c === CR;

const COPY_SPECIAL = /[\\\t\n\r\0]/;

function escapeCopy(value: string): string {
  if (!COPY_SPECIAL.test(value)) return value;
  return value.replace(/[\\\t\n\r\0]/g, (ch) =>
    ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : ch === '\r' ? '\\r' : '',
  );
}
