/**
 * A data set in memory: pixels stay as bytes (0–255) in one typed array per
 * split, labels as class indices; batches are views into these arrays, scaled
 * to [0, 1] as tensors by the trainer. Nothing is copied per sample.
 */
export interface ImageSplit {
  /** N × height × width × channels bytes, row-major, channels last. */
  readonly images: Uint8Array;
  /** N class indices. */
  readonly labels: Uint8Array;
  readonly count: number;
}

export interface ImageDataset {
  readonly name: string;
  /** (height, width, channels). */
  readonly shape: readonly [number, number, number];
  readonly classNames: readonly string[];
  readonly train: ImageSplit;
  readonly test: ImageSplit;
  /** Where the data came from, for run records and messages (package, cache file, folder). */
  readonly source: string;
  /** How train/test were formed when the source has no fixed split (Fashion-MNIST's JSON), else undefined. */
  readonly splitNote?: string;
}

/** Progress of a download or a long read, for progress bars. */
export interface LoadProgress {
  readonly stage: string;
  readonly done: number;
  readonly total?: number;
}

export type ProgressListener = (progress: LoadProgress) => void;

/** A problem with the user's data: names the file and says what to do. Nothing is written half. */
export class DatasetError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    /** What went wrong in full (each address tried, and why), for a log; the message stays short. */
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}
