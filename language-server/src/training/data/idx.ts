import { basename } from 'node:path';
import { ownDataSplit } from '../../catalog/datasets.js';
import { readMaybeGzip } from './files.js';
import { gather, stratifiedSplit } from './random.js';
import { DatasetError, type ImageDataset, type ImageSplit } from './types.js';

/** An IDX array: its dimensions and its unsigned bytes, row-major. */
export interface IdxArray {
  readonly dims: readonly number[];
  readonly data: Uint8Array;
}

const idxTypes: ReadonlyMap<number, string> = new Map([
  [0x08, 'unsigned bytes'],
  [0x09, 'signed bytes'],
  [0x0b, '16-bit integers'],
  [0x0c, '32-bit integers'],
  [0x0d, '32-bit floats'],
  [0x0e, '64-bit floats'],
]);

function hex32(bytes: Uint8Array): string {
  return '0x' + [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Parses an IDX file: magic 0x00 0x00, a type byte, the number of dimensions,
 * then each dimension as a big-endian uint32, then the data. Only unsigned
 * bytes (type 0x08) are read: that is what MNIST-style image and label files hold.
 */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const name = basename(file);
  if (bytes.length < 4) throw new DatasetError(`${name} is not an IDX file: it has only ${bytes.length} bytes`, file);
  const type = bytes[2] ?? 0;
  const rank = bytes[3] ?? 0;
  if (bytes[0] !== 0 || bytes[1] !== 0 || !idxTypes.has(type) || rank === 0) {
    throw new DatasetError(
      `${name} is not an IDX file: it starts with ${hex32(bytes)}, where an IDX file starts with 0x0000, a type and a dimension count (MNIST images: 0x00000803, labels: 0x00000801)`,
      file,
    );
  }
  if (type !== 0x08) throw new DatasetError(`${name} holds ${idxTypes.get(type) ?? 'unknown values'}; only IDX files of unsigned bytes (type 0x08) can be read`, file);
  const headerSize = 4 + 4 * rank;
  if (bytes.length < headerSize) throw new DatasetError(`${name} is truncated: its header needs ${headerSize} bytes for ${rank} dimensions, the file has ${bytes.length}`, file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerSize);
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerSize;
  const described = `${dims.join(' × ')} = ${expected.toLocaleString('en-US')} bytes`;
  if (actual < expected) throw new DatasetError(`${name} is truncated: its header promises ${described} of data, the file has ${actual.toLocaleString('en-US')}`, file);
  if (actual > expected) {
    const extra = actual - expected;
    throw new DatasetError(`${name} has ${extra.toLocaleString('en-US')} byte${extra === 1 ? '' : 's'} more than its header's ${described}; the file is corrupt or not what its header says`, file);
  }
  return { dims, data: new Uint8Array(bytes.buffer, bytes.byteOffset + headerSize, expected) };
}

/** Reads and parses an IDX file (gzip-compressed or not). */
export async function readIdx(file: string): Promise<IdxArray> {
  return parseIdx(await readMaybeGzip(file, 'IDX file'), file);
}

/** An images file and its labels file, checked against each other. */
export interface IdxPair extends ImageSplit {
  readonly shape: readonly [number, number, number];
}

/**
 * Checks an images array (count × height × width, or × channels) against a
 * labels array (count); `classCount` bounds the labels when it is known.
 */
export function pairIdx(images: IdxArray, imagesFile: string, labels: IdxArray, labelsFile: string, classCount?: number): IdxPair {
  const imagesName = basename(imagesFile);
  const labelsName = basename(labelsFile);
  if (images.dims.length === 1 && labels.dims.length >= 3) {
    throw new DatasetError(`${imagesName} holds labels and ${labelsName} holds images: the images file comes first, idx("images", "labels")`, imagesFile);
  }
  if (images.dims.length !== 3 && images.dims.length !== 4) {
    throw new DatasetError(`${imagesName} has ${images.dims.length} dimension(s) (${images.dims.join(' × ')}); an images file has 3 (count × height × width) or 4 (× channels)`, imagesFile);
  }
  if (labels.dims.length !== 1) {
    throw new DatasetError(`${labelsName} has ${labels.dims.length} dimensions (${labels.dims.join(' × ')}); a labels file has 1 (one class index per image)`, labelsFile);
  }
  const [count = 0, height = 0, width = 0, channels = 1] = images.dims;
  if (height === 0 || width === 0 || channels === 0) throw new DatasetError(`${imagesName} has empty images (${images.dims.join(' × ')})`, imagesFile);
  const labelCount = labels.dims[0] ?? 0;
  if (labelCount !== count) {
    throw new DatasetError(`${imagesName} has ${count.toLocaleString('en-US')} images but ${labelsName} has ${labelCount.toLocaleString('en-US')} labels; they must match one to one`, labelsFile);
  }
  if (classCount !== undefined) {
    const bad = labels.data.findIndex((label) => label >= classCount);
    if (bad >= 0) {
      throw new DatasetError(`${labelsName}: label ${labels.data[bad]} at index ${bad} is out of range; there are ${classCount} classes (0–${classCount - 1})`, labelsFile);
    }
  }
  return { images: images.data, labels: labels.data, count, shape: [height, width, channels] };
}

/** Reads an images file and a labels file as one split. */
export async function readIdxPair(imagesFile: string, labelsFile: string, classCount?: number): Promise<IdxPair> {
  const [images, labels] = await Promise.all([readIdx(imagesFile), readIdx(labelsFile)]);
  return pairIdx(images, imagesFile, labels, labelsFile, classCount);
}

/** Seed of the 80/20 split of a user's IDX data; fixed so a run can be repeated. */
export const IDX_SPLIT_SEED = ownDataSplit.idxSeed;

/**
 * The user's `idx("images", "labels")`: one pair of files, so train/test are
 * formed per class, 80/20, with a fixed seed. Classes are 0…max label.
 */
export async function loadIdxDataset(imagesFile: string, labelsFile: string): Promise<ImageDataset> {
  const pair = await readIdxPair(imagesFile, labelsFile);
  if (pair.count === 0) throw new DatasetError(`${basename(imagesFile)} holds no images`, imagesFile);
  const classCount = pair.labels.reduce((max, label) => Math.max(max, label), 0) + 1;
  const sampleSize = pair.shape[0] * pair.shape[1] * pair.shape[2];
  const split = stratifiedSplit(pair.labels, (n) => Math.round(n * ownDataSplit.testShare), IDX_SPLIT_SEED);
  return {
    name: basename(imagesFile),
    shape: pair.shape,
    classNames: Array.from({ length: classCount }, (_, i) => String(i)),
    train: gather(pair.images, pair.labels, sampleSize, split.train),
    test: gather(pair.images, pair.labels, sampleSize, split.test),
    source: `${imagesFile}, ${labelsFile}`,
    splitNote: `one images/labels pair, split per class 80% train / 20% test with a fixed seed (the same on every run)`,
  };
}
