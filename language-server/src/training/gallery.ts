import type { ImageSplit } from './data/types.js';

/** Test images of one confusion-matrix cell, for the gallery. */
export interface GalleryCell {
  readonly trueClass: number;
  readonly predictedClass: number;
  /** How many test samples fall in this cell (the samples below are the first of them). */
  readonly count: number;
  readonly samples: readonly GallerySample[];
}

export interface GallerySample {
  /** Index in the test split. */
  readonly index: number;
  readonly confidence: number;
  /** Pixels, row-major, `channels` bytes per pixel (0–255), base64. */
  readonly pixels: string;
}

export interface Gallery {
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
  readonly cells: readonly GalleryCell[];
}

/** Enough test images per confusion-matrix cell to see a pattern, few enough to keep run folders and reports small. */
export const gallerySamplesPerCell = 12;

/**
 * The test images of every confusion-matrix cell (true × predicted class), the
 * least confident predictions first: those are the ones worth looking at.
 * `predicted[i]` and `confidence[i]` belong to test sample i.
 */
export function buildGallery(
  test: ImageSplit,
  shape: readonly [number, number, number],
  predicted: readonly number[],
  confidence: readonly number[],
  classes: number,
  perCell = gallerySamplesPerCell,
): Gallery {
  const [height, width, channels] = shape;
  const imageSize = height * width * channels;
  const members = new Map<number, number[]>();
  const count = Math.min(predicted.length, test.count);
  for (let i = 0; i < count; i++) {
    const key = (test.labels[i] ?? 0) * classes + (predicted[i] ?? 0);
    let list = members.get(key);
    if (!list) members.set(key, (list = []));
    list.push(i);
  }
  const cells: GalleryCell[] = [];
  for (const [key, indices] of [...members].sort((a, b) => a[0] - b[0])) {
    const picked = [...indices].sort((a, b) => (confidence[a] ?? 0) - (confidence[b] ?? 0) || a - b).slice(0, perCell);
    cells.push({
      trueClass: Math.floor(key / classes),
      predictedClass: key % classes,
      count: indices.length,
      samples: picked.map((index) => ({
        index,
        confidence: confidence[index] ?? 0,
        pixels: Buffer.from(test.images.buffer, test.images.byteOffset + index * imageSize, imageSize).toString('base64'),
      })),
    });
  }
  return { width, height, channels: channels === 3 ? 3 : 1, cells };
}
