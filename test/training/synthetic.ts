import type { ImageDataset } from '../../language-server/src/training/data/types.js';
import { seededRandom } from '../../language-server/src/common/random.js';

/**
 * A small learnable image set: class c has a bright vertical band at column
 * c·width/classes, plus noise. Real data sets are tested in the data tests; the
 * loop tests need data whose ceiling is known and that trains in seconds.
 */
export function bandsDataset(options: { classes?: number; size?: number; train?: number; test?: number; seed?: number } = {}): ImageDataset {
  const classes = options.classes ?? 4;
  const size = options.size ?? 8;
  const random = seededRandom(options.seed ?? 7);
  const split = (count: number) => {
    const images = new Uint8Array(count * size * size);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const label = i % classes;
      labels[i] = label;
      const column = Math.floor(((label + 0.5) * size) / classes);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const signal = Math.abs(x - column) <= 0 ? 200 : 0;
          images[i * size * size + y * size + x] = Math.min(255, signal + Math.floor(random() * 55));
        }
      }
    }
    return { images, labels, count };
  };
  return {
    name: 'bands',
    shape: [size, size, 1],
    classNames: Array.from({ length: classes }, (_, i) => `band ${i}`),
    train: split(options.train ?? 800),
    test: split(options.test ?? 200),
    source: 'generated in the test',
  };
}
