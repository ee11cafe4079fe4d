import { join } from 'node:path';
import { builtInDatasets } from '../../catalog/datasets.js';
import { CorruptCacheFile, defaultCacheDir, downloadFailureCause, fetchToCache } from './download.js';
import { readTarGz } from './tar.js';
import { DatasetError, type ImageDataset, type ImageSplit, type ProgressListener } from './types.js';

/** The binary version of CIFAR-10, from the authors' page (the host Keras downloads the Python version from). */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
/** The MD5 published on https://www.cs.toronto.edu/~kriz/cifar.html for the binary version. */
export const CIFAR10_MD5 = 'c32a1d4ab5d03f1284b67883e8d87530';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

export interface Cifar10Options {
  readonly url?: string;
  /** Expected MD5 of the archive; `null` skips the check. Defaults to the official one for the default URL. */
  readonly md5?: string | null;
  readonly sha256?: string;
  readonly cacheDir?: string;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

/**
 * One CIFAR-10 binary batch: records of 1 label byte and 3 × 1024 bytes (the
 * red, green and blue planes, each 32×32 row-major), turned channels-last.
 */
export function parseCifarBatch(bytes: Uint8Array, file: string): ImageSplit {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new DatasetError(`${file} is not a CIFAR-10 batch: its ${bytes.length} bytes are not whole records of ${RECORD} (1 label + 3×32×32 pixels)`, file);
  }
  const count = bytes.length / RECORD;
  const images = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const record = i * RECORD;
    const label = bytes[record] ?? 0;
    if (label > 9) throw new DatasetError(`${file}: record ${i} has label ${label}; CIFAR-10 labels are 0–9`, file);
    labels[i] = label;
    const out = i * 3 * PLANE;
    for (let p = 0; p < PLANE; p++) {
      images[out + 3 * p] = bytes[record + 1 + p] ?? 0;
      images[out + 3 * p + 1] = bytes[record + 1 + PLANE + p] ?? 0;
      images[out + 3 * p + 2] = bytes[record + 1 + 2 * PLANE + p] ?? 0;
    }
  }
  return { images, labels, count };
}

function concat(splits: readonly ImageSplit[]): ImageSplit {
  const count = splits.reduce((n, s) => n + s.count, 0);
  const images = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const split of splits) {
    images.set(split.images, at * 3 * PLANE);
    labels.set(split.labels, at);
    at += split.count;
  }
  return { images, labels, count };
}

const batchName = /(?:^|\/)(data_batch_(\d+)|test_batch)\.bin$/;

/** Reads CIFAR-10 from the binary .tar.gz: data_batch_1…5 for training, test_batch for test. */
export async function readCifar10Archive(archive: string, onProgress?: ProgressListener): Promise<ImageDataset> {
  const files = await readTarGz(archive, (name) => batchName.test(name), onProgress);
  const train: { n: number; split: ImageSplit }[] = [];
  let test: ImageSplit | undefined;
  for (const [name, bytes] of files) {
    const match = batchName.exec(name);
    const split = parseCifarBatch(bytes, `${archive}: ${name}`);
    if (match?.[2] !== undefined) train.push({ n: Number(match[2]), split });
    else test = split;
  }
  if (train.length === 0 || !test) {
    throw new DatasetError(`${archive} is not the CIFAR-10 binary archive: it lacks ${train.length === 0 ? 'data_batch_N.bin' : 'test_batch.bin'}; delete it and download again`, archive);
  }
  train.sort((a, b) => a.n - b.n);
  const info = builtInDatasets.get('cifar10');
  return {
    name: 'cifar10',
    shape: [SIDE, SIDE, 3],
    classNames: info?.classNames ?? [],
    train: concat(train.map((t) => t.split)),
    test,
    source: archive,
  };
}

/** CIFAR-10: downloaded once into the cache (resumable, checked), then read from there. */
export async function loadCifar10(options: Cifar10Options = {}): Promise<ImageDataset> {
  const url = options.url ?? CIFAR10_URL;
  const md5 = options.md5 === null ? undefined : (options.md5 ?? (url === CIFAR10_URL ? CIFAR10_MD5 : undefined));
  const archive = join(options.cacheDir ?? defaultCacheDir(), 'cifar-10-binary.tar.gz');
  try {
    await fetchToCache(url, archive, { md5, sha256: options.sha256, onProgress: options.onProgress, signal: options.signal });
  } catch (error) {
    if (!(error instanceof DatasetError) || error instanceof CorruptCacheFile || error.file !== archive) throw error;
    throw new DatasetError(
      `CIFAR-10 could not be downloaded: ${downloadFailureCause([error.message])}. Check the network (or its proxy) and try again (a partial download resumes); or put the CIFAR-10 binary archive, cifar-10-binary.tar.gz (163 MB), at ${archive}.`,
      archive,
      [error.message],
    );
  }
  return readCifar10Archive(archive, options.onProgress);
}
