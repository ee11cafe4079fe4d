import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serverNodeFlags } from '../../language-server/src/lsp/node-flags.js';
import { DocumentStore } from '../../language-server/src/workspace/document-store.js';
import { allocationPerCharacter, makeRoomForAnalysis, type YoungGeneration } from '../../language-server/src/workspace/young-generation.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

/** A young generation with `free` bytes left, counting its collections. */
function fakeYoung(free: number): YoungGeneration & { collections: number } {
  return {
    collections: 0,
    available: () => free,
    collect() {
      this.collections++;
    },
  };
}

test('the young generation is collected before an analysis that would not fit in what it has left', () => {
  const text = 'model m {\n  input (8,)\n  Dense(4)\n}\n';
  const roomy = fakeYoung(text.length * allocationPerCharacter);
  assert.equal(makeRoomForAnalysis(text.length, roomy), false);
  assert.equal(roomy.collections, 0);
  const full = fakeYoung(text.length * allocationPerCharacter - 1);
  assert.equal(makeRoomForAnalysis(text.length, full), true);
  assert.equal(full.collections, 1);
  assert.equal(makeRoomForAnalysis(text.length, undefined), false, 'without --expose-gc nothing is collected');

  // The document store does it once per analysed version, before analysing.
  const young = fakeYoung(0);
  const store = new DocumentStore(young);
  store.set('file:///a.model', 1, text);
  assert.equal(young.collections, 0, 'an edit alone analyses nothing');
  assert.equal(store.analysis('file:///a.model')?.models[0]?.evaluated?.totals.params, 36);
  store.analysis('file:///a.model');
  assert.equal(young.collections, 1, 'the cached analysis is read without collecting');
  store.set('file:///a.model', 2, text.replace('Dense(4)', 'Dense(5)'));
  assert.equal(store.analysis('file:///a.model')?.models[0]?.evaluated?.totals.params, 45);
  assert.equal(young.collections, 2);
});

test('with the server flags, a large analysis starts after a scavenge V8 reports as forced', () => {
  const script = `
    import { PerformanceObserver, constants } from 'node:perf_hooks';
    const { DocumentStore } = await import(${JSON.stringify(pathToFileURL(join(root, 'out/language-server/src/workspace/document-store.js')).href)});
    const forced = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) if (e.detail.flags & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) forced.push(e.detail.kind); }).observe({ entryTypes: ['gc'] });
    const store = new DocumentStore();
    const lines = ['model big {', '  input (32, 32, 8)'];
    for (let i = 0; i < 5000; i++) lines.push(i % 2 ? '  BatchNormalization()' : '  Conv2D(8, 3, padding=same)');
    const text = [...lines, '}'].join('\\n');
    const small = 'model m {\\n  input (8,)\\n  Dense(4)\\n}\\n';
    store.set('file:///small.model', 1, small);
    store.analysis('file:///small.model');
    await new Promise((done) => setTimeout(done, 50));
    const afterSmall = forced.length;
    store.set('file:///big.model', 1, text);
    const layers = store.analysis('file:///big.model').models[0].evaluated.layers.length;
    await new Promise((done) => setTimeout(done, 50));
    console.log(JSON.stringify({ afterSmall, forced, minor: constants.NODE_PERFORMANCE_GC_MINOR, layers }));
  `;
  const run = spawnSync(process.execPath, [...serverNodeFlags, '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr || String(run.error));
  const report = JSON.parse(run.stdout) as { afterSmall: number; forced: number[]; minor: number; layers: number };
  assert.equal(report.layers, 5000);
  assert.equal(report.afterSmall, 0, 'a small file fits: nothing is collected');
  assert.deepEqual(report.forced, [report.minor], 'one forced scavenge, before the large analysis');
});
