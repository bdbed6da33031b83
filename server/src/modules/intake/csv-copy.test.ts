import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { writeFastAmount, writeFastDate, writeFastInt } from './csv-bytes.js';
import { CsvToCopy, NotUtf8Error, type Encoding } from './csv-copy.js';
import type { SnapshotColumn } from './snapshot-format.js';
import { parseSnapshotAmount, parseSnapshotDate, parseSnapshotInt } from './snapshot-values.js';

const COLUMNS: SnapshotColumn[] = [
  { name: 'name', kind: 'text' },
  { name: 'seq', kind: 'int' },
  { name: 'due_on', kind: 'date' },
  { name: 'amount', kind: 'amount' },
];

interface Copied {
  out: string;
  rows: number;
  sha256: string;
  header: string[] | undefined;
}

/** Runs the input, as the given chunks, through CsvToCopy and collects the COPY text. */
async function copy(
  input: string | Buffer | Buffer[],
  columns: SnapshotColumn[] = COLUMNS,
  encoding: Encoding = 'utf-8',
): Promise<Copied> {
  const chunks = Array.isArray(input) ? input : [Buffer.from(input)];
  let header: string[] | undefined;
  const csv = new CsvToCopy('f.csv', columns, encoding, (names) => (header = names));
  const parts: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      parts.push(chunk);
      done();
    },
  });
  await pipeline(Readable.from(chunks), csv, sink);
  return { out: Buffer.concat(parts).toString('utf8'), ...csv.result(), header };
}

/** COPY lines written with `|` for the tab, to keep the expected text readable. */
const lines = (...text: string[]) => text.map((l) => l.replaceAll('|', '\t') + '\n').join('');

describe('CsvToCopy', () => {
  it('reads quoted fields with commas, newlines and doubled quotes', async () => {
    const csv =
      'name,seq,due_on,amount\n' +
      '"Doe, John",1,2024-03-20,"1,234,000.00"\n' +
      '"say ""hi""\nthere",2,1403/1/1,۱۲۳\n' +
      'last,3,,\n';
    const { out, rows, header } = await copy(csv);
    expect(header).toEqual(['name', 'seq', 'due_on', 'amount']);
    expect(rows).toBe(3);
    expect(out).toBe(
      lines(
        String.raw`2|\N|Doe, John|1|\N|2024-03-20|\N|1234000|\N`,
        String.raw`3|\N|say "hi"\nthere|2|\N|2024-03-20|\N|123|\N`,
        String.raw`5|\N|last|3|\N|\N|\N|\N|\N`,
      ),
    );
  });

  it('drops a BOM, reads CRLF and skips blank lines, counting them in the line numbers', async () => {
    const { out, rows, header } = await copy('\uFEFFName , SEQ\r\n\r\nAli,7\r\n   \r\n""\r\nReza,08\r\n\n');
    expect(header).toEqual(['name', 'seq']);
    expect(rows).toBe(2);
    expect(out).toBe(lines(String.raw`3|\N|Ali|7|\N|\N|\N|\N|\N`, String.raw`6|\N|Reza|8|\N|\N|\N|\N|\N`));
  });

  it('reads the last record without a newline', async () => {
    expect((await copy('name,seq\nAli,7')).out).toBe(lines(String.raw`2|\N|Ali|7|\N|\N|\N|\N|\N`));
    expect((await copy('name,seq\nAli,')).out).toBe(lines(String.raw`2|\N|Ali|\N|\N|\N|\N|\N|\N`));
    expect((await copy('name,seq\n"A""li",7\r')).out).toBe(lines(String.raw`2|\N|A"li|7|\N|\N|\N|\N|\N`));
  });

  it('rejects a record with the wrong number of fields', async () => {
    const { out, rows } = await copy('name,seq\na,1,x\nb\n');
    expect(rows).toBe(2);
    expect(out).toBe(
      lines(
        String.raw`2|wrong number of fields: 3 instead of 2|\N|\N|\N|\N|\N|\N|\N`,
        String.raw`3|wrong number of fields: 1 instead of 2|\N|\N|\N|\N|\N|\N|\N`,
      ),
    );
  });

  it('maps columns by name in any order, ignoring unknown ones and leaving missing ones NULL', async () => {
    const { out } = await copy('extra,AMOUNT,name\nx,5,Ali\n');
    expect(out).toBe(lines(String.raw`2|\N|Ali|\N|\N|\N|\N|5|\N`));
  });

  it('normalises Persian and Arabic digits and letters in text, numbers and dates', async () => {
    const csv =
      'name,seq,due_on,amount\n' +
      ' \u00a0علي كريم ٤۵\u200c ,۰۷,14030101,"۱,۲۳۴"\n' +
      'ى,٣,20240320,1234.000\n' +
      '\u200eX\u200f,1,۱۴۰۳/۱۲/۳۰,0\n';
    expect((await copy(csv)).out).toBe(
      lines(
        String.raw`2|\N|علی کریم 45|7|\N|2024-03-20|\N|1234|\N`,
        String.raw`3|\N|ی|3|\N|2024-03-20|\N|1234|\N`,
        String.raw`4|\N|X|1|\N|2025-03-20|\N|0|\N`,
      ),
    );
  });

  it('writes values that are not valid to the _bad column, normalised', async () => {
    const csv = 'name,seq,due_on,amount\nx,12a,2023-02-29,1.5\ny,1234567,1403/12/31,۱۲x\n';
    expect((await copy(csv)).out).toBe(
      lines(
        String.raw`2|\N|x|\N|12a|\N|2023-02-29|\N|1.5`,
        String.raw`3|\N|y|\N|1234567|\N|1403/12/31|\N|12x`,
      ),
    );
  });

  it('COPY-escapes backslash, tab, CR and newline, and drops NUL', async () => {
    const csv = 'name,seq,due_on,amount\n"a\\b\tc\rd\ne\0f",1,,x\\y\n';
    expect((await copy(csv)).out).toBe(
      lines(String.raw`2|\N|a\\b\tc\rd\ne` + 'f' + String.raw`|1|\N|\N|\N|\N|x\\y`),
    );
  });

  it('reads a stray character after a closing quote on as text and drops a CR outside quotes', async () => {
    const { out } = await copy('name,seq\n"ab"c,1\r\na\rb,2\n"x"\r"y",3\n');
    expect(out).toBe(
      lines(
        String.raw`2|\N|abc|1|\N|\N|\N|\N|\N`,
        String.raw`3|\N|ab|2|\N|\N|\N|\N|\N`,
        String.raw`4|\N|x"y|3|\N|\N|\N|\N|\N`,
      ),
    );
  });

  it('gives the same output whatever the chunks, split inside characters and quoted fields', async () => {
    const input = Buffer.from(
      '\uFEFFname,seq,due_on,amount\r\n"علي, ""كريم""\r\nدوم",۱۲,1403/1/1,"1,000"\r\n\r\nx,1,2024-02-29,5\n"tail',
    );
    const whole = await copy(input);
    expect(whole.rows).toBe(3);
    for (let i = 1; i < input.length; i++) {
      expect(await copy([input.subarray(0, i), input.subarray(i)]), `split at ${i}`).toEqual(whole);
    }
    const bytes = Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1));
    expect(await copy(bytes)).toEqual(whole);
  });

  it('hashes the input bytes', async () => {
    const input = Buffer.from('\uFEFFname\nعلی\n');
    const { sha256 } = await copy([input.subarray(0, 5), input.subarray(5)]);
    expect(sha256).toBe(createHash('sha256').update(input).digest('hex'));
  });

  it('calls onHeader with no names for an empty file', async () => {
    expect(await copy('')).toMatchObject({ out: '', rows: 0, header: [] });
  });

  it('refuses invalid UTF-8 naming the file and the line, however it is split', async () => {
    const input = Buffer.concat([
      Buffer.from('name,seq\nok,1\n"a\nb",2\nbad'),
      Buffer.from([0xff]),
      Buffer.from(',3\n'),
    ]);
    const message =
      /^f\.csv: not valid UTF-8 near line 5 \(for a Windows-1256 file use --encoding windows-1256\)$/;
    await expect(copy(input)).rejects.toThrow(NotUtf8Error);
    for (let i = 1; i < input.length; i++) {
      await expect(copy([input.subarray(0, i), input.subarray(i)])).rejects.toThrow(message);
    }
    const truncated = Buffer.concat([Buffer.from('name\nok\nab'), Buffer.from('ی').subarray(0, 1)]);
    await expect(copy(truncated)).rejects.toThrow(/near line 3 /);
  });

  it('decodes Windows-1256', async () => {
    const input = Buffer.concat([
      Buffer.from('name,seq\n'),
      Buffer.from([0xe3, 0xcd, 0xe3, 0xcf, 0xed, 0xdf]),
      Buffer.from(',1\n'),
    ]);
    const expected = lines(String.raw`2|\N|محمدیک|1|\N|\N|\N|\N|\N`);
    expect((await copy(input, COLUMNS, 'windows-1256')).out).toBe(expected);
    const split = Array.from({ length: input.length }, (_, i) => input.subarray(i, i + 1));
    expect((await copy(split, COLUMNS, 'windows-1256')).out).toBe(expected);
  });
});

describe('the byte fast paths', () => {
  const random = seeded(20240320);
  const digits = (n: number) => Array.from({ length: n }, () => String(Math.floor(random() * 10))).join('');
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;

  /** What the CSV reader writes for a checked value: the fast path when it takes it, else the parser. */
  const expectSameAsParser = (
    value: string,
    fast: (b: Uint8Array, s: number, e: number, o: Uint8Array, p: number) => number,
    parse: (value: string) => string | null,
  ) => {
    const bytes = Buffer.from(value);
    const out = Buffer.alloc(2 * bytes.length + 16);
    const end = fast(bytes, 0, bytes.length, out, 0);
    if (end >= 0) expect(out.toString('latin1', 0, end), value).toBe(parse(value));
    return end >= 0;
  };

  it('agree with parseSnapshotInt and parseSnapshotAmount on digit strings', () => {
    let taken = 0;
    for (let t = 0; t < 5000; t++) {
      const n = digits(Math.floor(random() * 22));
      const amount = pick([n, n.replace(/\B(?=(\d{3})+$)/g, ','), n + '.00', n + '.0', n + '.05', ',' + n]);
      if (expectSameAsParser(n, writeFastInt, parseSnapshotInt)) taken++;
      if (expectSameAsParser(amount, writeFastAmount, parseSnapshotAmount)) taken++;
    }
    expect(taken).toBeGreaterThan(3000);
  });

  it('agree with parseSnapshotDate on dates', () => {
    let taken = 0;
    for (let t = 0; t < 5000; t++) {
      const y = String(1600 + Math.floor(random() * 500));
      const m = String(Math.floor(random() * 14)).padStart(2, '0');
      const d = String(Math.floor(random() * 33)).padStart(2, '0');
      const date = pick([
        `${y}-${m}-${d}`,
        `${y}${m}${d}`,
        `${y}/${m}/${d}`,
        `${y}-${m}-${d}x`,
        `${y}-${m}${d}-`,
      ]);
      if (expectSameAsParser(date, writeFastDate, parseSnapshotDate)) taken++;
    }
    expect(taken).toBeGreaterThan(300);
  });

  it('give the same COPY output as the string parsers through the reader', async () => {
    const values = Array.from({ length: 300 }, () => [
      digits(1 + Math.floor(random() * 8)),
      `${1690 + Math.floor(random() * 400)}-${String(Math.floor(random() * 14)).padStart(2, '0')}-${String(Math.floor(random() * 33)).padStart(2, '0')}`,
      digits(1 + Math.floor(random() * 20)),
    ]);
    const csv = 'seq,due_on,amount\n' + values.map((v) => v.join(',')).join('\n') + '\n';
    const checked = (value: string, parse: (v: string) => string | null) => {
      const parsed = parse(value);
      return parsed === null ? `\\N\t${value}` : `${parsed}\t\\N`;
    };
    const expected = values.map(
      ([seq, due, amount], i) =>
        `${i + 2}\t\\N\t\\N\t${checked(seq!, parseSnapshotInt)}\t${checked(due!, parseSnapshotDate)}\t${checked(amount!, parseSnapshotAmount)}\n`,
    );
    expect((await copy(csv)).out).toBe(expected.join(''));
  });
});

/** A small deterministic generator, so a failure can be replayed. */
function seeded(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
}
