import type { Shape } from './types.js';

export interface DatasetInfo {
  readonly name: string;
  readonly shape: Shape;
  readonly classes: number;
  readonly classNames: readonly string[];
  readonly trainSize: number;
  readonly testSize: number;
  readonly doc: string;
}

const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

export const builtInDatasets: ReadonlyMap<string, DatasetInfo> = new Map(
  [
    {
      name: 'mnist',
      shape: [28, 28, 1],
      classes: 10,
      classNames: digits,
      trainSize: 60000,
      testSize: 10000,
      doc: 'MNIST: 70,000 grey 28×28 images of handwritten digits 0–9 (60,000 train, 10,000 test).',
    },
    {
      name: 'fashion_mnist',
      shape: [28, 28, 1],
      classes: 10,
      classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
      trainSize: 60000,
      testSize: 10000,
      doc: 'Fashion-MNIST: 70,000 grey 28×28 images of clothing in 10 classes (60,000 train, 10,000 test).',
    },
    {
      name: 'cifar10',
      shape: [32, 32, 3],
      classes: 10,
      classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
      trainSize: 50000,
      testSize: 10000,
      doc: 'CIFAR-10: 60,000 colour 32×32 images in 10 classes (50,000 train, 10,000 test); downloaded once into a cache.',
    },
  ].map((d) => [d.name, d]),
);

/** Data-set constructors for the user's own data, with their argument names. */
export const datasetConstructors: ReadonlyMap<string, { readonly doc: string; readonly args: readonly string[] }> = new Map([
  ['images', { doc: '`images("folder", size=(64, 64))`: one sub-folder per class with PNG or JPEG images, resized to `size`.', args: ['path', 'size', 'color_mode'] }],
  ['idx', { doc: '`idx("images.idx3-ubyte", "labels.idx1-ubyte")`: images and labels in the IDX format of MNIST.', args: ['images', 'labels'] }],
]);

/**
 * How the user's own data is split when it has no split of its own: each class `testShare` to test
 * (rounded), drawn with the project's seeded generator from a fixed seed, so that every run (and an
 * exported Keras script, which repeats the draw) gets the same images.
 */
export const ownDataSplit = {
  testShare: 0.2,
  /** `images("folder")` without train/ and test/ sub-folders; with them, the seed of their shuffled order. */
  imagesSeed: 0x1a6e_5eed,
  /** `idx("images", "labels")`. */
  idxSeed: 0x1d8_5eed,
} as const;
