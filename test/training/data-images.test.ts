import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { decodeImage, loadImageFolder, resizeBilinear, toChannels } from '../../language-server/src/training/data/images.js';
import { DatasetError, type ImageSplit } from '../../language-server/src/training/data/types.js';
import { tempDir } from './data-fixtures.js';

type Rgba = readonly [number, number, number, number];

function solid(width: number, height: number, color: Rgba): Buffer {
  const data = Buffer.alloc(width * height * 4);
  for (let p = 0; p < width * height; p++) data.set(color, p * 4);
  return data;
}

function png(width: number, height: number, color: Rgba, colorType: 0 | 2 | 6 = 2): Buffer {
  const image = new PNG({ width, height });
  image.data = solid(width, height, color);
  return PNG.sync.write(image, { colorType });
}

function jpeg(width: number, height: number, color: Rgba): Buffer {
  return encodeJpeg({ width, height, data: solid(width, height, color) }, 95).data;
}

const catColor: Rgba = [200, 30, 40, 255];
const dogColor: Rgba = [20, 160, 220, 255];
const antGrey = 90;

/** ant/ (5 grey PNGs), cat/ (10 RGB PNGs of varied sizes), dog/ (10 JPEGs), and files that are not images. */
async function animals(dir: string): Promise<string> {
  const folder = join(dir, 'animals');
  for (const name of ['ant', 'cat', 'dog']) await mkdir(join(folder, name), { recursive: true });
  for (let i = 0; i < 5; i++) await writeFile(join(folder, 'ant', `ant${i}.PNG`), png(3 + i, 4, [antGrey, antGrey, antGrey, 255], 0));
  for (let i = 0; i < 10; i++) await writeFile(join(folder, 'cat', `cat${i}.png`), png(5 + i, 7 + 2 * i, catColor));
  for (let i = 0; i < 10; i++) await writeFile(join(folder, 'dog', `dog${i}.jpeg`), jpeg(16, 8 + i, dogColor));
  await writeFile(join(folder, 'dog', 'notes.txt'), 'not an image');
  await writeFile(join(folder, 'cat', '.DS_Store'), 'x');
  await writeFile(join(folder, 'README.md'), 'top-level files are ignored');
  return folder;
}

function sample(split: ImageSplit, k: number, size: number): number[] {
  return [...split.images.subarray(k * size, (k + 1) * size)];
}

test('an images folder: sorted class folders, PNG and JPEG decoded and resized, 80/20 per class with a fixed seed', async (t) => {
  const folder = await animals(await tempDir(t));
  const progress: number[] = [];
  const dataset = await loadImageFolder({ folder, size: [4, 6], colorMode: 'rgb', onProgress: (p) => progress.push(p.done) });
  assert.equal(dataset.name, 'animals');
  assert.deepEqual(dataset.shape, [4, 6, 3]);
  assert.deepEqual(dataset.classNames, ['ant', 'cat', 'dog']);
  assert.equal(dataset.source, folder);
  assert.match(dataset.splitNote ?? '', /80% train \/ 20% test with a fixed seed/);
  assert.equal(dataset.train.count, 4 + 8 + 8);
  assert.equal(dataset.test.count, 1 + 2 + 2);
  assert.equal(dataset.train.images.length, 20 * 4 * 6 * 3);
  for (const split of [dataset.train, dataset.test]) {
    for (let k = 0; k < split.count; k++) {
      const label = split.labels[k];
      const want = label === 0 ? [antGrey, antGrey, antGrey] : label === 1 ? catColor.slice(0, 3) : dogColor.slice(0, 3);
      const tolerance = label === 2 ? 4 : 0; // JPEG is lossy
      const pixels = sample(split, k, 72);
      pixels.forEach((v, i) => assert.ok(Math.abs(v - (want[i % 3] ?? 0)) <= tolerance, `class ${label}, byte ${i}: ${v} vs ${want[i % 3]}`));
    }
  }
  assert.deepEqual([...dataset.test.labels].sort(), [0, 1, 1, 2, 2]);
  assert.equal(progress.at(-1), 25);
  const again = await loadImageFolder({ folder, size: [4, 6], colorMode: 'rgb' });
  assert.deepEqual(again.train.labels, dataset.train.labels, 'the same split and order every time');
  assert.deepEqual(again.test.images, dataset.test.images);
});

test('grayscale uses the luma weights of PIL (and so of Keras)', async (t) => {
  const folder = await animals(await tempDir(t));
  const dataset = await loadImageFolder({ folder, size: [2, 2], colorMode: 'grayscale' });
  assert.deepEqual(dataset.shape, [2, 2, 1]);
  const cat = dataset.train.labels.indexOf(1);
  // PIL: L = R·299/1000 + G·587/1000 + B·114/1000 = 59.8 + 17.61 + 4.56 → 82.
  assert.deepEqual(sample(dataset.train, cat, 4), [82, 82, 82, 82]);
  const ant = dataset.train.labels.indexOf(0);
  assert.deepEqual(sample(dataset.train, ant, 4), [90, 90, 90, 90]);
});

test('decoding keeps RGB and drops alpha; grayscale PNGs come out as grey RGB', () => {
  const rgba = decodeImage(png(2, 1, [10, 250, 10, 0], 6), 'a.png');
  assert.deepEqual([rgba.width, rgba.height], [2, 1]);
  assert.deepEqual([...toChannels(rgba, 'rgb')], [10, 250, 10, 10, 250, 10]);
  assert.deepEqual([...toChannels(decodeImage(png(1, 1, [77, 77, 77, 255], 0), 'g.png'), 'rgb')], [77, 77, 77]);
  const photo = decodeImage(jpeg(8, 8, [255, 255, 255, 255]), 'w.jpg');
  assert.ok(toChannels(photo, 'grayscale').every((v) => v >= 250));
});

test('the bilinear resize matches tf.image.resize (half-pixel centres, no antialias)', () => {
  const src = Uint8Array.from([0, 10, 20, 30]);
  const up = new Uint8Array(16);
  resizeBilinear(src, 2, 2, 1, up, 0, 4, 4);
  // tf.image.resize([[0, 10], [20, 30]], (4, 4)) = rows [0 2.5 7.5 10], [5 7.5 12.5 15], [15 17.5 22.5 25], [20 22.5 27.5 30], rounded half up.
  assert.deepEqual([...up], [0, 3, 8, 10, 5, 8, 13, 15, 15, 18, 23, 25, 20, 23, 28, 30]);
  const four = Uint8Array.from({ length: 16 }, (_, i) => i * 10);
  const down = new Uint8Array(4 + 2);
  resizeBilinear(four, 4, 4, 1, down, 2, 2, 2);
  // Sampling at (0.5, 0.5), (0.5, 2.5), …: the mean of each 2×2 block.
  assert.deepEqual([...down], [0, 0, 25, 45, 105, 125]);
  const rgb = Uint8Array.from([255, 0, 0, 0, 0, 255]);
  const wide = new Uint8Array(4 * 3);
  resizeBilinear(rgb, 1, 2, 3, wide, 0, 1, 4);
  assert.deepEqual([...wide], [255, 0, 0, 191, 0, 64, 64, 0, 191, 0, 0, 255]);
  const same = new Uint8Array(16);
  resizeBilinear(four, 4, 4, 1, same, 0, 4, 4);
  assert.deepEqual(same, four);
});

test('train/ and test/ sub-folders give the split; a class only in test/ is an error', async (t) => {
  const dir = await tempDir(t);
  const folder = join(dir, 'split');
  for (const [part, name, n] of [['train', 'a', 3], ['train', 'b', 2], ['test', 'a', 1]] as const) {
    await mkdir(join(folder, part, name), { recursive: true });
    for (let i = 0; i < n; i++) await writeFile(join(folder, part, name, `${i}.png`), png(3, 3, name === 'a' ? [1, 2, 3, 255] : [4, 5, 6, 255]));
  }
  const dataset = await loadImageFolder({ folder, size: [3, 3], colorMode: 'rgb' });
  assert.deepEqual(dataset.classNames, ['a', 'b']);
  assert.equal(dataset.train.count, 5);
  assert.equal(dataset.test.count, 1);
  assert.deepEqual([...dataset.train.labels].sort(), [0, 0, 0, 1, 1]);
  assert.deepEqual(sample(dataset.test, 0, 3), [1, 2, 3]);
  assert.equal(dataset.splitNote, undefined);
  await mkdir(join(folder, 'test', 'c'));
  await assert.rejects(loadImageFolder({ folder, size: [3, 3], colorMode: 'rgb' }), (e: unknown) => e instanceof DatasetError && /test has class folder\(s\) c that train\/ lacks/.test(e.message));
});

test('folder problems are named: missing, no class folders, an empty class, GIFs, fake or broken images', async (t) => {
  const dir = await tempDir(t);
  const load = (folder: string): Promise<unknown> => loadImageFolder({ folder, size: [2, 2], colorMode: 'rgb' });
  const fails = async (folder: string, pattern: RegExp, file?: string): Promise<void> =>
    assert.rejects(load(folder), (e: unknown) => e instanceof DatasetError && pattern.test(e.message) && (file === undefined || e.file === file));
  await fails(join(dir, 'nope'), /^images folder .*nope does not exist$/);
  await writeFile(join(dir, 'file.png'), png(1, 1, catColor));
  await fails(join(dir, 'file.png'), /file\.png is a file; images\(\.\.\.\) needs a folder with one sub-folder per class/);
  await mkdir(join(dir, 'flat'));
  await writeFile(join(dir, 'flat', 'x.png'), png(1, 1, catColor));
  await fails(join(dir, 'flat'), /flat has no sub-folders: put each class's images in a sub-folder named after the class/);
  await mkdir(join(dir, 'empty', 'a'), { recursive: true });
  await mkdir(join(dir, 'empty', 'b'));
  await writeFile(join(dir, 'empty', 'a', 'x.png'), png(1, 1, catColor));
  await fails(join(dir, 'empty'), /class folder .*empty\/b has no PNG or JPEG images/);
  await writeFile(join(dir, 'empty', 'b', 'anim.gif'), 'GIF89a');
  await fails(join(dir, 'empty'), /anim\.gif is a GIF image; only PNG and JPEG are read — convert it or remove it/, join(dir, 'empty', 'b', 'anim.gif'));
  await rm(join(dir, 'empty', 'b', 'anim.gif'));
  await writeFile(join(dir, 'empty', 'b', 'text.jpg'), 'hello');
  await fails(join(dir, 'empty'), /text\.jpg is neither a PNG nor a JPEG image \(by its content\)/, join(dir, 'empty', 'b', 'text.jpg'));
  await writeFile(join(dir, 'empty', 'b', 'text.jpg'), png(4, 4, catColor).subarray(0, 40));
  await fails(join(dir, 'empty'), /text\.jpg cannot be decoded as PNG/);
  await writeFile(join(dir, 'empty', 'b', 'text.jpg'), jpeg(8, 8, catColor).subarray(0, 30));
  await fails(join(dir, 'empty'), /text\.jpg cannot be decoded as JPEG/);
  await assert.rejects(loadImageFolder({ folder: join(dir, 'flat'), size: [0, 2], colorMode: 'rgb' }), /size must be two positive whole numbers, got \(0, 2\)/);
});
