import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** A fresh temporary folder, removed by the returned cleanup. */
export async function tempDir(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'layerlab-data-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

export function hex(algorithm: 'md5' | 'sha256', bytes: Uint8Array): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

export interface TestServer {
  readonly url: string;
  /** The Range header of each request ('' when none), in order. */
  readonly ranges: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (random port), closed after the test. */
export async function serve(t: { after(fn: () => Promise<void>): void }, handler: (req: IncomingMessage, res: ServerResponse, index: number) => void): Promise<TestServer> {
  const ranges: string[] = [];
  const server = createServer((req, res) => {
    ranges.push(req.headers.range ?? '');
    handler(req, res, ranges.length - 1);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  t.after(close);
  return { url: `http://127.0.0.1:${port}/`, ranges, close };
}

/** Serves `bytes`, honouring `Range: bytes=N-` with a 206. */
export function sendWithRange(req: IncomingMessage, res: ServerResponse, bytes: Uint8Array): void {
  const match = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (match) {
    const start = Number(match[1]);
    if (start >= bytes.length) {
      res.writeHead(416, { 'Content-Range': `bytes */${bytes.length}` }).end();
      return;
    }
    res.writeHead(206, { 'Content-Length': bytes.length - start, 'Content-Range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` });
    res.end(bytes.subarray(start));
    return;
  }
  res.writeHead(200, { 'Content-Length': bytes.length });
  res.end(bytes);
}

/** Sends the headers for all of `bytes` and the first `cut` of them, then drops the connection. */
export function sendAndDrop(res: ServerResponse, bytes: Uint8Array, cut: number): void {
  res.writeHead(200, { 'Content-Length': bytes.length });
  res.write(bytes.subarray(0, cut), () => res.socket?.destroy());
}

/** An IDX file of unsigned bytes. */
export function idxBytes(dims: readonly number[], data: Uint8Array | readonly number[]): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = 0x08;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

type MnistLayoutKey = 'trainImages' | 'trainLabels' | 'testImages' | 'testLabels';

/** The four .gz files of a small data set in MNIST's layout (28×28 images), served by their file names, with their MD5s. */
export interface MnistLayoutFixture {
  readonly files: Readonly<Record<MnistLayoutKey, Uint8Array>>;
  readonly md5: Readonly<Record<MnistLayoutKey, string>>;
  /** The file a request path such as `/train-images-idx3-ubyte.gz` names. */
  fileAt(path: string | undefined): Uint8Array | undefined;
}

export function mnistLayoutFixture(train: { labels: readonly number[]; pixel: (i: number) => number }, test: { labels: readonly number[]; pixel: (i: number) => number }): MnistLayoutFixture {
  const images = (split: typeof train) => gzipSync(idxBytes([split.labels.length, 28, 28], Uint8Array.from({ length: split.labels.length * 784 }, (_, i) => split.pixel(i))));
  const files = {
    trainImages: images(train),
    trainLabels: gzipSync(idxBytes([train.labels.length], train.labels)),
    testImages: images(test),
    testLabels: gzipSync(idxBytes([test.labels.length], test.labels)),
  };
  const paths: Record<string, MnistLayoutKey> = {
    '/train-images-idx3-ubyte.gz': 'trainImages',
    '/train-labels-idx1-ubyte.gz': 'trainLabels',
    '/t10k-images-idx3-ubyte.gz': 'testImages',
    '/t10k-labels-idx1-ubyte.gz': 'testLabels',
  };
  const md5 = { trainImages: hex('md5', files.trainImages), trainLabels: hex('md5', files.trainLabels), testImages: hex('md5', files.testImages), testLabels: hex('md5', files.testLabels) };
  return {
    files,
    md5,
    fileAt: (path) => {
      const key = paths[path ?? ''];
      return key ? files[key] : undefined;
    },
  };
}

function header(name: string, size: number, type: string): Uint8Array {
  const block = new Uint8Array(512);
  const put = (text: string, at: number): void => block.set(Buffer.from(text, 'utf8'), at);
  put(name, 0);
  put('0000644\0', 100);
  put('0000000\0', 108);
  put('0000000\0', 116);
  put(size.toString(8).padStart(11, '0') + '\0', 124);
  put('00000000000\0', 136);
  put(type, 156);
  put('ustar\0', 257);
  put('00', 263);
  block.fill(0x20, 148, 156);
  const sum = block.reduce((a, b) => a + b, 0);
  put(sum.toString(8).padStart(6, '0') + '\0 ', 148);
  return block;
}

function padded(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(data.length / 512) * 512);
  out.set(data);
  return out;
}

/** A tar archive; names over 100 bytes get a GNU long-name entry, as GNU tar writes them. */
export function tarBytes(files: readonly { name: string; data: Uint8Array; type?: string }[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const file of files) {
    if (Buffer.byteLength(file.name) > 100) {
      const longName = Buffer.from(file.name + '\0', 'utf8');
      parts.push(header('././@LongLink', longName.length, 'L'), padded(longName));
    }
    parts.push(header(file.name.slice(0, 100), file.data.length, file.type ?? '0'), padded(file.data));
  }
  parts.push(new Uint8Array(1024));
  return Buffer.concat(parts);
}
