import assert from 'node:assert/strict';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { loadCifar10, parseCifarBatch, readCifar10Archive } from '../../language-server/src/training/data/cifar10.js';
import { TarReader, readTarGz } from '../../language-server/src/training/data/tar.js';
import { mulberry32 } from '../../language-server/src/training/data/random.js';
import { DatasetError } from '../../language-server/src/training/data/types.js';
import { hex, sendAndDrop, sendWithRange, serve, tarBytes, tempDir } from './data-fixtures.js';

/** Record `id`: label id % 10; red = (id + y) & 255, green = x * 8, blue = 255 - id, in CIFAR's planar layout. */
function batch(ids: readonly number[]): Uint8Array {
  const out = new Uint8Array(ids.length * 3073);
  ids.forEach((id, i) => {
    const at = i * 3073;
    out[at] = id % 10;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        out[at + 1 + y * 32 + x] = (id + y) & 255;
        out[at + 1 + 1024 + y * 32 + x] = x * 8;
        out[at + 1 + 2048 + y * 32 + x] = 255 - id;
      }
    }
  });
  return out;
}

const folder = 'cifar-10-batches-bin';
// Incompressible filler, so the archive is big enough (~200 KB) for a download to be cut in the middle.
const random = mulberry32(7);
const filler = Uint8Array.from({ length: 200_000 }, () => Math.floor(random() * 256));
const archive = gzipSync(
  tarBytes([
    { name: `${folder}/`, data: new Uint8Array(0), type: '5' },
    { name: `${folder}/batches.meta.txt`, data: Buffer.from('airplane\nautomobile\n') },
    { name: `${folder}/data_batch_2.bin`, data: batch([13, 14, 15]) },
    { name: `${folder}/data_batch_1.bin`, data: batch([10, 11, 12]) },
    { name: `${folder}/test_batch.bin`, data: batch([1, 2]) },
    { name: `${folder}/readme.html`, data: filler },
  ]),
);
const md5 = hex('md5', archive);

function checkFixture(dataset: Awaited<ReturnType<typeof loadCifar10>>): void {
  assert.equal(dataset.name, 'cifar10');
  assert.deepEqual(dataset.shape, [32, 32, 3]);
  assert.equal(dataset.classNames[0], 'airplane');
  assert.equal(dataset.classNames.length, 10);
  assert.equal(dataset.train.count, 6);
  assert.equal(dataset.test.count, 2);
  assert.deepEqual([...dataset.train.labels], [0, 1, 2, 3, 4, 5], 'data_batch_1 before data_batch_2');
  assert.deepEqual([...dataset.test.labels], [1, 2]);
  assert.equal(dataset.train.images.length, 6 * 32 * 32 * 3);
  // Channels last: pixel (y, x) of sample k is at ((k * 32 + y) * 32 + x) * 3.
  const px = (k: number, y: number, x: number): number[] => [...dataset.train.images.subarray(((k * 32 + y) * 32 + x) * 3, ((k * 32 + y) * 32 + x) * 3 + 3)];
  assert.deepEqual(px(0, 0, 0), [10, 0, 255 - 10]);
  assert.deepEqual(px(0, 5, 7), [15, 56, 245]);
  assert.deepEqual(px(4, 31, 31), [14 + 31, 248, 255 - 14]);
  assert.deepEqual([...dataset.test.images.subarray(((1 * 32 + 2) * 32 + 3) * 3, ((1 * 32 + 2) * 32 + 3) * 3 + 3)], [4, 24, 253]);
}

test('CIFAR-10 is downloaded over HTTP into the cache, unpacked in-process and turned channels-last', async (t) => {
  const cacheDir = await tempDir(t);
  const server = await serve(t, (req, res) => sendWithRange(req, res, archive));
  const stages = new Set<string>();
  const dataset = await loadCifar10({ url: `${server.url}cifar-10-binary.tar.gz`, md5, cacheDir, onProgress: (p) => stages.add(p.stage) });
  checkFixture(dataset);
  assert.equal(dataset.source, join(cacheDir, 'cifar-10-binary.tar.gz'));
  assert.deepEqual([...stages], ['downloading cifar-10-binary.tar.gz', 'verifying cifar-10-binary.tar.gz', 'unpacking']);
  assert.deepEqual(await readdir(cacheDir), ['cifar-10-binary.tar.gz'], 'only the archive is kept');
  checkFixture(await loadCifar10({ url: `${server.url}cifar-10-binary.tar.gz`, md5, cacheDir }));
  assert.equal(server.ranges.length, 1, 'the second load reads the cache');
});

test('a CIFAR download that drops halfway resumes with a Range request', async (t) => {
  const cacheDir = await tempDir(t);
  const server = await serve(t, (req, res, index) => (index === 0 ? sendAndDrop(res, archive, Math.floor(archive.length / 2)) : sendWithRange(req, res, archive)));
  checkFixture(await loadCifar10({ url: `${server.url}c.tar.gz`, md5, cacheDir }));
  assert.equal(server.ranges.length, 2);
  assert.match(server.ranges[1] ?? '', /^bytes=[1-9]\d*-$/);
});

test('a CIFAR download with the wrong checksum leaves no archive, whole or partial', async (t) => {
  const cacheDir = await tempDir(t);
  const server = await serve(t, (req, res) => sendWithRange(req, res, archive));
  await assert.rejects(
    loadCifar10({ url: `${server.url}c.tar.gz`, md5: 'f'.repeat(32), cacheDir }),
    (e: unknown) =>
      e instanceof DatasetError &&
      /^CIFAR-10 could not be downloaded: the files that arrived do not match their checksums\. .*put the CIFAR-10 binary archive, cifar-10-binary\.tar\.gz \(163 MB\), at /.test(e.message) &&
      !e.message.includes(server.url) &&
      e.details.some((d) => /its md5 is [0-9a-f]{32}, expected f{32}\. The download was deleted/.test(d)),
  );
  assert.deepEqual(await readdir(cacheDir), []);
});

test('the official URL is checked against the official MD5, a file in the cache included (once)', async (t) => {
  const cacheDir = await tempDir(t);
  const cached = join(cacheDir, 'cifar-10-binary.tar.gz');
  // An archive put in the cache by hand (offline use) must be the official one: this fixture is not.
  await writeFile(cached, archive);
  await assert.rejects(loadCifar10({ cacheDir }), (e: unknown) => e instanceof DatasetError && e.message.startsWith(`${cached} is not the file expected: its md5 is `) && /expected c32a1d4ab5d03f1284b67883e8d87530\. Delete it/.test(e.message));
  // Told its own checksum, the same file is used, and verified once: a note records it.
  checkFixture(await loadCifar10({ cacheDir, md5 }));
  assert.ok((await readdir(cacheDir)).includes('cifar-10-binary.tar.gz.verified'));
  checkFixture(await loadCifar10({ cacheDir, md5 }));
});

test('a corrupt or incomplete archive gives a clear error', async (t) => {
  const dir = await tempDir(t);
  const cut = join(dir, 'cut.tar.gz');
  await writeFile(cut, archive.subarray(0, archive.length - 100));
  await assert.rejects(readCifar10Archive(cut), (e: unknown) => e instanceof DatasetError && /cut\.tar\.gz cannot be unpacked \(unexpected end of file\)/.test(e.message));
  const noTest = join(dir, 'no-test.tar.gz');
  await writeFile(noTest, gzipSync(tarBytes([{ name: `${folder}/data_batch_1.bin`, data: batch([1]) }])));
  await assert.rejects(readCifar10Archive(noTest), (e: unknown) => e instanceof DatasetError && /is not the CIFAR-10 binary archive: it lacks test_batch\.bin/.test(e.message));
  const notTar = join(dir, 'not-tar.tar.gz');
  await writeFile(notTar, gzipSync(new Uint8Array(2048).fill(7)));
  await assert.rejects(readCifar10Archive(notTar), (e: unknown) => e instanceof DatasetError && /not a valid tar archive \(a header checksum does not match\)/.test(e.message));
  assert.throws(() => parseCifarBatch(new Uint8Array(3072), 'b.bin'), /b\.bin is not a CIFAR-10 batch: its 3072 bytes are not whole records of 3073/);
  const badLabel = batch([0]);
  badLabel[0] = 12;
  assert.throws(() => parseCifarBatch(badLabel, 'b.bin'), /b\.bin: record 0 has label 12; CIFAR-10 labels are 0–9/);
});

test('the tar reader: any chunking, GNU long names, pax paths, and truncation', async (t) => {
  const long = `${'deep/'.repeat(30)}file.bin`;
  const data = Uint8Array.from({ length: 1500 }, (_, i) => i & 0xff);
  const tar = tarBytes([
    { name: 'a.txt', data: Buffer.from('hello') },
    { name: long, data },
    { name: 'skip.bin', data: new Uint8Array(700) },
  ]);
  const whole = new TarReader('t.tar', (n) => n !== 'skip.bin');
  whole.push(tar);
  const files = whole.finish();
  assert.deepEqual([...files.keys()], ['a.txt', long]);
  assert.deepEqual(files.get(long), data);
  const bytewise = new TarReader('t.tar', () => true);
  for (let i = 0; i < tar.length; i += 37) bytewise.push(tar.subarray(i, i + 37));
  assert.deepEqual([...bytewise.finish().entries()], [...whole.files.entries(), ['skip.bin', new Uint8Array(700)]]);

  const pax = Buffer.from('28 path=pax/longer-name.bin\n');
  const withPax = tarBytes([{ name: 'PaxHeader/x', data: pax, type: 'x' }, { name: 'short', data: Buffer.from('p') }]);
  const paxReader = new TarReader('p.tar', () => true);
  paxReader.push(withPax);
  assert.deepEqual([...paxReader.finish().keys()], ['pax/longer-name.bin']);

  for (const [cut, inside] of [[700, '"a.txt"'], [3260, '"deep/deep/'], [1100, 'a header']] as const) {
    const truncated = new TarReader('cut.tar', () => true);
    truncated.push(tar.subarray(0, cut));
    assert.throws(() => truncated.finish(), new RegExp(`cut\\.tar is truncated: it ends inside ${inside.replace(/[./]/g, '\\$&')}`));
  }

  const dir = await tempDir(t);
  await writeFile(join(dir, 't.tar.gz'), gzipSync(tar));
  assert.deepEqual([...(await readTarGz(join(dir, 't.tar.gz'), (n) => n === 'a.txt')).keys()], ['a.txt']);
});
