import { readdir } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { ownDataSplit } from '../../catalog/datasets.js';
import { messageOf, readDataFile } from './files.js';
import { mulberry32, shuffleInPlace, stratifiedSplit } from './random.js';
import { DatasetError, type ImageDataset, type ImageSplit, type ProgressListener } from './types.js';

export type ColorMode = 'rgb' | 'grayscale';

export interface ImageFolderOptions {
  readonly folder: string;
  /** (height, width) every image is resized to. */
  readonly size: readonly [number, number];
  readonly colorMode: ColorMode;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

/** A decoded image, always 4 bytes (RGBA) per pixel. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Seed of the 80/20 split of an images folder without train/ and test/. */
export const IMAGES_SPLIT_SEED = ownDataSplit.imagesSeed;

const readable = new Set(['.png', '.jpg', '.jpeg']);
const unreadable = new Set(['.gif', '.bmp', '.webp', '.tif', '.tiff', '.heic', '.heif', '.avif']);

/** Decodes a PNG or JPEG by its content (not its name) to RGBA. */
export function decodeImage(bytes: Uint8Array, file: string): RgbaImage {
  const png = bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  const jpeg = bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
  if (!png && !jpeg) throw new DatasetError(`${file} is neither a PNG nor a JPEG image (by its content); convert it or remove it`, file);
  try {
    if (png) {
      const image = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length));
      return { width: image.width, height: image.height, data: image.data };
    }
    const image = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
    return { width: image.width, height: image.height, data: image.data };
  } catch (error) {
    throw new DatasetError(`${file} cannot be decoded as ${png ? 'PNG' : 'JPEG'}: ${messageOf(error)}`, file);
  }
}

/**
 * RGBA → RGB (alpha dropped, as Keras' loader does) or grayscale with the
 * ITU-R 601 luma weights in PIL's integer form (PIL's convert('L'), Keras' grayscale).
 */
export function toChannels(image: RgbaImage, colorMode: ColorMode): Uint8Array {
  const n = image.width * image.height;
  const src = image.data;
  if (colorMode === 'grayscale') {
    const out = new Uint8Array(n);
    for (let p = 0; p < n; p++) out[p] = ((src[4 * p] ?? 0) * 19595 + (src[4 * p + 1] ?? 0) * 38470 + (src[4 * p + 2] ?? 0) * 7471 + 0x8000) >> 16;
    return out;
  }
  const out = new Uint8Array(n * 3);
  for (let p = 0; p < n; p++) {
    out[3 * p] = src[4 * p] ?? 0;
    out[3 * p + 1] = src[4 * p + 1] ?? 0;
    out[3 * p + 2] = src[4 * p + 2] ?? 0;
  }
  return out;
}

function axis(outSize: number, inSize: number): { lower: Int32Array; upper: Int32Array; lerp: Float32Array } {
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const lerp = new Float32Array(outSize);
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    const at = (o + 0.5) * scale - 0.5;
    const floor = Math.floor(at);
    lower[o] = Math.max(floor, 0);
    upper[o] = Math.min(Math.ceil(at), inSize - 1);
    lerp[o] = at - floor;
  }
  return { lower, upper, lerp };
}

/**
 * Bilinear resize with half-pixel centres and no antialiasing, as
 * tf.image.resize (Keras' image loaders' default) does, rounded to bytes.
 * Writes `outH × outW × channels` bytes into `out` at `offset`.
 */
export function resizeBilinear(src: Uint8Array, inH: number, inW: number, channels: number, out: Uint8Array, offset: number, outH: number, outW: number): void {
  const ys = axis(outH, inH);
  const xs = axis(outW, inW);
  for (let y = 0; y < outH; y++) {
    const top = (ys.lower[y] ?? 0) * inW;
    const bottom = (ys.upper[y] ?? 0) * inW;
    const dy = ys.lerp[y] ?? 0;
    for (let x = 0; x < outW; x++) {
      const left = xs.lower[x] ?? 0;
      const right = xs.upper[x] ?? 0;
      const dx = xs.lerp[x] ?? 0;
      for (let c = 0; c < channels; c++) {
        const tl = src[(top + left) * channels + c] ?? 0;
        const tr = src[(top + right) * channels + c] ?? 0;
        const bl = src[(bottom + left) * channels + c] ?? 0;
        const br = src[(bottom + right) * channels + c] ?? 0;
        const t = tl + (tr - tl) * dx;
        const b = bl + (br - bl) * dx;
        out[offset + (y * outW + x) * channels + c] = Math.round(t + (b - t) * dy);
      }
    }
  }
}

async function entries(folder: string): Promise<{ dirs: string[]; files: string[] }> {
  try {
    const list = await readdir(folder, { withFileTypes: true });
    const visible = list.filter((e) => !e.name.startsWith('.'));
    const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
    return {
      dirs: visible.filter((e) => e.isDirectory()).map((e) => e.name).sort(byName),
      files: visible.filter((e) => e.isFile()).map((e) => e.name).sort(byName),
    };
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
    if (code === 'ENOENT') throw new DatasetError(`images folder ${folder} does not exist`, folder);
    if (code === 'ENOTDIR') throw new DatasetError(`${folder} is a file; images(...) needs a folder with one sub-folder per class`, folder);
    throw new DatasetError(`images folder ${folder} cannot be read: ${messageOf(error)}`, folder);
  }
}

/** The PNG and JPEG files of one class folder, sorted by name. */
async function imageFiles(folder: string): Promise<string[]> {
  const { files } = await entries(folder);
  const result: string[] = [];
  for (const name of files) {
    const ext = extname(name).toLowerCase();
    if (readable.has(ext)) result.push(join(folder, name));
    else if (unreadable.has(ext)) throw new DatasetError(`${join(folder, name)} is a ${ext.slice(1).toUpperCase()} image; only PNG and JPEG are read — convert it or remove it`, join(folder, name));
  }
  return result;
}

interface Sample {
  readonly file: string;
  readonly label: number;
}

/** The images of each class folder; with `present`, only those folders (test/ may lack a class), else each must have images. */
async function classFiles(folder: string, classNames: readonly string[], present?: ReadonlySet<string>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (const [label, name] of classNames.entries()) {
    if (present && !present.has(name)) continue;
    const files = await imageFiles(join(folder, name));
    if (files.length === 0 && !present) throw new DatasetError(`class folder ${join(folder, name)} has no PNG or JPEG images`, join(folder, name));
    for (const file of files) samples.push({ file, label });
  }
  return samples;
}

async function readSplit(samples: readonly Sample[], order: Uint32Array, options: ImageFolderOptions, progress: { done: number; total: number }): Promise<ImageSplit> {
  const [height, width] = options.size;
  const channels = options.colorMode === 'grayscale' ? 1 : 3;
  const sampleSize = height * width * channels;
  const images = new Uint8Array(order.length * sampleSize);
  const labels = new Uint8Array(order.length);
  for (let k = 0; k < order.length; k++) {
    options.signal?.throwIfAborted();
    const sample = samples[order[k] ?? 0];
    if (!sample) continue;
    const image = decodeImage(await readDataFile(sample.file, 'image'), sample.file);
    resizeBilinear(toChannels(image, options.colorMode), image.height, image.width, channels, images, k * sampleSize, height, width);
    labels[k] = sample.label;
    progress.done++;
    if (progress.done % 64 === 0 || progress.done === progress.total) options.onProgress?.({ stage: 'reading images', done: progress.done, total: progress.total });
  }
  return { images, labels, count: order.length };
}

/**
 * `images("folder", size=(h, w), color_mode=…)`: one sub-folder per class
 * (sorted names are the class names) of PNG and JPEG files, each resized to
 * `size`. With `train/` and `test/` sub-folders, those are the split; else
 * each class is split 80/20 with a fixed seed.
 */
export async function loadImageFolder(options: ImageFolderOptions): Promise<ImageDataset> {
  const { folder, size, colorMode } = options;
  const [height, width] = size;
  if (!Number.isInteger(height) || !Number.isInteger(width) || height <= 0 || width <= 0) throw new DatasetError(`size must be two positive whole numbers, got (${height}, ${width})`, folder);
  const top = await entries(folder);
  const presplit = top.dirs.includes('train') && top.dirs.includes('test');
  const trainFolder = presplit ? join(folder, 'train') : folder;
  const classNames = presplit ? (await entries(trainFolder)).dirs : top.dirs;
  if (classNames.length === 0) {
    throw new DatasetError(`${trainFolder} has no sub-folders: put each class's images in a sub-folder named after the class (e.g. cats/, dogs/)`, trainFolder);
  }
  if (classNames.length > 256) throw new DatasetError(`${trainFolder} has ${classNames.length} class folders; at most 256 classes are supported`, trainFolder);
  const random = mulberry32(IMAGES_SPLIT_SEED);
  let train: Sample[];
  let test: Sample[];
  let order: { train: Uint32Array; test: Uint32Array };
  if (presplit) {
    const testFolder = join(folder, 'test');
    const testClasses = (await entries(testFolder)).dirs;
    const extra = testClasses.filter((d) => !classNames.includes(d));
    if (extra.length > 0) throw new DatasetError(`${testFolder} has class folder(s) ${extra.join(', ')} that train/ lacks; train/ and test/ need the same classes`, testFolder);
    train = await classFiles(trainFolder, classNames);
    test = await classFiles(testFolder, classNames, new Set(testClasses));
    const identity = (n: number): Uint32Array => Uint32Array.from({ length: n }, (_, i) => i);
    order = { train: shuffleInPlace(identity(train.length), random), test: shuffleInPlace(identity(test.length), random) };
  } else {
    train = test = await classFiles(folder, classNames);
    order = stratifiedSplit(Uint8Array.from(train, (s) => s.label), (n) => Math.round(n * ownDataSplit.testShare), IMAGES_SPLIT_SEED);
  }
  const progress = { done: 0, total: order.train.length + order.test.length };
  const trainSplit = await readSplit(train, order.train, options, progress);
  const testSplit = await readSplit(test, order.test, options, progress);
  return {
    name: basename(folder),
    shape: [height, width, colorMode === 'grayscale' ? 1 : 3],
    classNames,
    train: trainSplit,
    test: testSplit,
    source: folder,
    ...(presplit ? {} : { splitNote: 'each class split 80% train / 20% test with a fixed seed (the same on every run); add train/ and test/ sub-folders to choose the split yourself' }),
  };
}
