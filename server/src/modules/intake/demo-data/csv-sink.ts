import { createHash, type Hash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import path from 'node:path';

export interface ManifestEntry {
  file: string;
  /** Data rows, the header not counted. */
  rows: number;
  sha256: string;
}

/** Chunk size (in UTF-16 units) at which a file's buffered rows are handed to its stream. */
const CHUNK = 1 << 16;

/**
 * One CSV file being written: rows are buffered into chunks, each chunk is hashed and written, and
 * a full stream buffer is waited out ('drain'), so memory stays bounded whatever the book's size.
 */
export class CsvSink {
  rows = 0;
  private buf: string;
  private readonly hash: Hash = createHash('sha256');
  private readonly stream: WriteStream;

  constructor(
    dir: string,
    readonly file: string,
    columns: readonly string[],
  ) {
    this.stream = createWriteStream(path.join(dir, file));
    this.buf = columns.join(',') + '\n';
  }

  /** Appends one row (already joined with commas). */
  row(line: string): void {
    this.buf += line + '\n';
    this.rows++;
  }

  get full(): boolean {
    return this.buf.length >= CHUNK;
  }

  async flush(): Promise<void> {
    if (this.buf.length === 0) return;
    const chunk = Buffer.from(this.buf, 'utf8');
    this.buf = '';
    this.hash.update(chunk);
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }

  async close(): Promise<ManifestEntry> {
    await this.flush();
    this.stream.end();
    await finished(this.stream);
    return { file: this.file, rows: this.rows, sha256: this.hash.digest('hex') };
  }

  /** Closes the file after a failure, ignoring further errors. */
  destroy(): void {
    this.stream.destroy();
  }
}
