import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { messageOf } from './files.js';
import { DatasetError, type ProgressListener } from './types.js';

const BLOCK = 512;

interface TarHeader {
  readonly name: string;
  readonly size: number;
  /** The type flag: '0' a file, '5' a folder, 'L' a GNU long name, 'x'/'g' pax records, … */
  readonly type: string;
}

function text(block: Uint8Array, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return Buffer.from(end < 0 ? field : field.subarray(0, end)).toString('utf8');
}

function octal(block: Uint8Array, start: number, length: number): number {
  // Sizes past 8 GiB use base-256: the first byte's high bit set, then big-endian bytes.
  if (((block[start] ?? 0) & 0x80) !== 0) {
    let value = (block[start] ?? 0) & 0x7f;
    for (let i = 1; i < length; i++) value = value * 256 + (block[start + i] ?? 0);
    return value;
  }
  const digits = text(block, start, length).trim();
  return digits === '' ? 0 : parseInt(digits, 8);
}

/** A 512-byte header, or undefined for an all-zero block (the end of the archive). */
function parseHeader(block: Uint8Array, file: string): TarHeader | undefined {
  if (block.every((b) => b === 0)) return undefined;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] ?? 0);
  const stored = octal(block, 148, 8);
  if (Number.isNaN(stored) || stored !== sum) throw new DatasetError(`${file} is not a valid tar archive (a header checksum does not match); it may be corrupt — delete it and download again`, file);
  let name = text(block, 0, 100);
  if (text(block, 257, 5) === 'ustar') {
    const prefix = text(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  const size = octal(block, 124, 12);
  if (Number.isNaN(size)) throw new DatasetError(`${file} is not a valid tar archive (a size field is not a number)`, file);
  const flag = block[156] ?? 0;
  return { name, size, type: flag === 0 ? '0' : String.fromCharCode(flag) };
}

/** The `path` record of a pax extended header (`LEN key=value\n` records). */
function paxPath(data: Uint8Array): string | undefined {
  const records = Buffer.from(data).toString('utf8');
  let path: string | undefined;
  for (let at = 0; at < records.length; ) {
    const space = records.indexOf(' ', at);
    const length = Number(records.slice(at, space));
    if (space < 0 || !Number.isInteger(length) || length <= 0) break;
    const record = records.slice(space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') path = record.slice(eq + 1);
    at += length;
  }
  return path;
}

/**
 * A streaming tar reader: feed it bytes in chunks of any size; it keeps the
 * data of the regular files that `want` asks for and skips the rest.
 * Understands ustar, GNU long names ('L') and pax paths ('x').
 */
export class TarReader {
  readonly files = new Map<string, Uint8Array>();
  private readonly header = new Uint8Array(BLOCK);
  private headerFill = 0;
  /** Bytes of the current entry's data still to come, then its padding to 512. */
  private remaining = 0;
  private padding = 0;
  private entry: { name: string; type: string; data: Uint8Array | undefined; filled: number } | undefined;
  private longName: string | undefined;
  private ended = false;

  constructor(
    private readonly file: string,
    private readonly want: (name: string) => boolean,
  ) {}

  push(chunk: Uint8Array): void {
    let at = 0;
    while (at < chunk.length && !this.ended) {
      if (this.remaining > 0) {
        const take = Math.min(this.remaining, chunk.length - at);
        const entry = this.entry;
        if (entry?.data) entry.data.set(chunk.subarray(at, at + take), entry.filled);
        if (entry) entry.filled += take;
        at += take;
        this.remaining -= take;
        if (this.remaining === 0) this.finishEntry();
      } else if (this.padding > 0) {
        const skip = Math.min(this.padding, chunk.length - at);
        at += skip;
        this.padding -= skip;
      } else {
        const take = Math.min(BLOCK - this.headerFill, chunk.length - at);
        this.header.set(chunk.subarray(at, at + take), this.headerFill);
        this.headerFill += take;
        at += take;
        if (this.headerFill === BLOCK) {
          this.headerFill = 0;
          this.startEntry();
        }
      }
    }
  }

  /** Call at the end of the stream: throws if it stopped inside an entry. */
  finish(): Map<string, Uint8Array> {
    if (this.remaining > 0 || this.padding > 0 || this.headerFill > 0) throw new DatasetError(`${this.file} is truncated: it ends inside ${this.headerFill > 0 || !this.entry ? 'a header' : `"${this.entry.name}"`}; delete it and download again`, this.file);
    return this.files;
  }

  private startEntry(): void {
    const header = parseHeader(this.header, this.file);
    if (!header) {
      this.ended = true;
      return;
    }
    const name = this.longName || header.name;
    this.longName = undefined;
    const metadata = header.type === 'L' || header.type === 'x';
    const keep = metadata || ((header.type === '0' || header.type === '7') && this.want(name));
    this.entry = { name, type: header.type, data: keep ? new Uint8Array(header.size) : undefined, filled: 0 };
    this.remaining = header.size;
    this.padding = (BLOCK - (header.size % BLOCK)) % BLOCK;
    if (header.size === 0) this.finishEntry();
  }

  private finishEntry(): void {
    const entry = this.entry;
    if (!entry?.data) return;
    if (entry.type === 'L') this.longName = text(entry.data, 0, entry.data.length);
    else if (entry.type === 'x') this.longName = paxPath(entry.data);
    else this.files.set(entry.name, entry.data);
  }
}

/** Reads a .tar.gz file in a stream, keeping the files that `want` names (by path in the archive). */
export async function readTarGz(file: string, want: (name: string) => boolean, onProgress?: ProgressListener): Promise<Map<string, Uint8Array>> {
  const reader = new TarReader(file, want);
  const total = (await stat(file)).size;
  const source = createReadStream(file);
  // pipeline() reports its own abort rather than what the last stage threw.
  let invalid: DatasetError | undefined;
  try {
    await pipeline(source, createGunzip(), async (chunks: AsyncIterable<Buffer>) => {
      let reported = 0;
      for await (const chunk of chunks) {
        try {
          reader.push(chunk);
        } catch (error) {
          if (error instanceof DatasetError) invalid = error;
          throw error;
        }
        if (source.bytesRead - reported >= 4 * 1024 * 1024) {
          reported = source.bytesRead;
          onProgress?.({ stage: 'unpacking', done: reported, total });
        }
      }
    });
  } catch (error) {
    if (invalid) throw invalid;
    throw new DatasetError(`${file} cannot be unpacked (${messageOf(error)}); it may be corrupt — delete it and download again`, file);
  }
  onProgress?.({ stage: 'unpacking', done: total, total });
  return reader.finish();
}
