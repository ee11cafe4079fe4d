import { gather, stratifiedSplit } from './random.js';
import type { ImageDataset, ImageSplit } from './types.js';

/**
 * A quick run's data: at most `limit` images of each split, drawn per class in
 * proportion to the class's share (seeded), classes mixed. The `limit` setting
 * and `--limit` both use it, so the same seed draws the same images.
 */
export function limitDataset(dataset: ImageDataset, limit: number, seed: number): ImageDataset {
  const sampleSize = dataset.shape[0] * dataset.shape[1] * dataset.shape[2];
  const train = limitSplit(dataset.train, limit, seed, sampleSize);
  const test = limitSplit(dataset.test, limit, seed + 1, sampleSize);
  if (train === dataset.train && test === dataset.test) return dataset;
  return { ...dataset, train, test };
}

function limitSplit(split: ImageSplit, limit: number, seed: number, sampleSize: number): ImageSplit {
  if (split.count <= limit) return split;
  const labels = split.labels.subarray(0, split.count);
  const share = limit / split.count;
  // The "test" side of a stratified split is the subset: round(n × share) of each class of n.
  const chosen = stratifiedSplit(labels, (n) => Math.round(n * share), seed).test;
  return gather(split.images, split.labels, sampleSize, chosen.length > limit ? chosen.subarray(0, limit) : chosen);
}
