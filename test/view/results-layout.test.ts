import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { HostToView, ViewRun } from '../../language-server/src/protocol/views.js';
import { artifactsDir, useBrowser, WebviewPage } from './browser.js';
import { makeRun, runOptions, trainerStream } from './fixtures.js';

const needBrowser = useBrowser();

const init: HostToView = { type: 'init', title: 'Fashion-MNIST', capabilities: { stop: true, openRun: true } };
const runs: ViewRun[] = runOptions.map((o) => makeRun(o));
const fashion = runs[0]!;

/** A run on an image folder whose class names (folder names) are long, as they often are. */
const breeds = ['golden_retriever', 'german_shepherd', 'labrador_retriever', 'bernese_mountain', 'siberian_husky', 'border_collie', 'yorkshire_terrier', 'cavalier_spaniel', 'shetland_sheepdog', 'staffordshire_bull'];
const dogs: ViewRun = (() => {
  const run = makeRun({ ...runOptions[1]!, id: '/work/dogs/.layerlab/runs/2025-06-05_10-00-00-dogs', model: 'dogs' });
  return { ...run, record: { ...run.record, dataset: { ...run.record.dataset, name: 'dogs', classNames: breeds } } };
})();

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

async function showResults(view: WebviewPage): Promise<void> {
  await view.page.getByRole('tab', { name: 'Test results' }).click();
  await view.renderNow();
}

test('per-class metrics: precision, recall, F1 and support (the classification report), no accuracy that repeats recall', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  // As Layerlab recorded it before: its per-class "accuracy" is each class's recall.
  const test = fashion.record.test!;
  const record = { ...fashion.record, test: { ...test, perClassAccuracy: [...test.recall] } };
  const view = await WebviewPage.open(b);
  await view.send([init, { type: 'runs', runs: [{ ...fashion, record }] }]);
  await showResults(view);
  const table = view.page.locator('.per-class table.data-table');
  assert.deepEqual(await table.locator('thead th').allTextContents(), ['Class', 'Precision', 'Recall', 'F1', 'Support']);
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
  const classNames = record.dataset.classNames;
  assert.equal(rows.length, classNames.length + 2);
  const f1 = test.precision.map((p, c) => (2 * p * test.recall[c]!) / (p + test.recall[c]!));
  const support = test.confusion.map((row) => row.reduce((a, b) => a + b, 0));
  classNames.forEach((name, c) => {
    assert.deepEqual(rows[c], [name, percent(test.precision[c]!), percent(test.recall[c]!), percent(f1[c]!), support[c]!.toLocaleString('en-US')]);
  });
  const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const total = support.reduce((a, b) => a + b, 0);
  const weighted = (values: readonly number[]) => values.reduce((sum, v, c) => sum + v * support[c]!, 0) / total;
  assert.deepEqual(rows[classNames.length], ['Macro average', percent(mean(test.precision)), percent(mean(test.recall)), percent(mean(f1)), '10,000']);
  assert.deepEqual(rows[classNames.length + 1], ['Weighted average', percent(weighted(test.precision)), percent(weighted(test.recall)), percent(weighted(f1)), '10,000']);
  // The bars: precision, recall and F1 for each class, with their legend.
  const bars = await view.page.locator('svg.bars rect title').allTextContents();
  assert.equal(bars.length, 3 * classNames.length);
  assert.equal(bars[2], `${classNames[0]} F1: ${percent(f1[0]!)}`);
  assert.deepEqual(await view.page.locator('svg.bars rect.bar-f1 title').count(), classNames.length);
  assert.doesNotMatch(await view.page.locator('.per-class').innerText(), /accuracy/i);
  // The SVG export says the same.
  await view.page.getByRole('button', { name: 'Export Per-class metrics (test set) as SVG' }).click();
  const exported = (await view.lastExport()).data;
  assert.match(exported, />F1</);
  assert.doesNotMatch(exported, /Accuracy/);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

interface Layout {
  page: number;
  viewport: number;
  matrix: { right: number; width: number; viewBox: number; labels: number };
  panel: number;
  bars: number;
  tables: Record<string, [number, number, string]>;
}

const measure = (view: WebviewPage): Promise<Layout> =>
  view.eval<Layout>(`(() => {
    const matrix = document.querySelector('svg.matrix');
    const box = matrix.getBoundingClientRect();
    const scroll = (e) => e ? [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX] : [0, 0, 'none'];
    return {
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
      matrix: { right: box.right, width: box.width, viewBox: matrix.viewBox.baseVal.width, labels: Math.max(...[...matrix.querySelectorAll('text.axis-label')].map((t) => t.getBoundingClientRect().right)) },
      panel: document.querySelector('.results-body').getBoundingClientRect().right,
      bars: document.querySelector('svg.bars').getBoundingClientRect().right,
      tables: {
        confusion: scroll(document.querySelector('.confusion details.table-alternative')),
        perClass: scroll(document.querySelector('.per-class details.table-alternative')),
      },
    };
  })()`);

test('at 600 px wide the confusion matrix scales to the panel and wide tables scroll inside it; nothing runs off the page', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  for (const run of [dogs, fashion]) {
    const view = await WebviewPage.open(b);
    await view.page.setViewportSize({ width: 600, height: 900 });
    await view.send([init, { type: 'runs', runs: [run] }]);
    await showResults(view);
    await view.page.locator('.confusion details.table-alternative summary').click();
    const layout = await measure(view);
    const name = run.record.model.name;
    assert.ok(layout.page <= layout.viewport, `${name}: the page does not scroll sideways (${layout.page} > ${layout.viewport})`);
    assert.ok(layout.matrix.right <= layout.panel + 0.5, `${name}: the matrix fits its panel (right ${layout.matrix.right} > ${layout.panel})`);
    assert.ok(layout.matrix.width <= layout.matrix.viewBox, `${name}: the matrix is never drawn larger than its own size`);
    assert.ok(layout.matrix.labels <= layout.matrix.right + 0.5, `${name}: the slanted class names end inside the matrix's figure (${layout.matrix.labels} > ${layout.matrix.right})`);
    assert.ok(layout.bars <= layout.panel + 0.5, `${name}: the per-class bars fit (right ${layout.bars})`);
    for (const [table, [scrollWidth, clientWidth, overflow]] of Object.entries(layout.tables)) {
      if (scrollWidth > clientWidth) assert.ok(overflow === 'auto' || overflow === 'scroll', `${name}: the ${table} table scrolls inside its panel`);
    }
    if (run === dogs) {
      assert.ok(layout.matrix.width < layout.matrix.viewBox, 'the long class names make the matrix wider than the panel: it shrinks');
      assert.ok(layout.tables['confusion']![0] > layout.tables['confusion']![1], 'the confusion table is wider than the panel: it scrolls');
      // The last cell, which ran off the page, is there to click.
      await view.page.locator('svg.matrix g.cell[data-true="9"][data-predicted="9"]').click();
      await view.renderNow();
      assert.equal(await view.text('.gallery h3'), `True ${breeds[9]}, predicted ${breeds[9]}`);
      mkdirSync(artifactsDir, { recursive: true });
      writeFileSync(join(artifactsDir, 'webview-600px-results.png'), await view.page.screenshot({ fullPage: true }));
    }
    assert.deepEqual(view.errors, []);
    await view.page.close();
  }

  // The comparison table too.
  const view = await WebviewPage.open(b);
  await view.page.setViewportSize({ width: 600, height: 900 });
  await view.send([init, { type: 'runs', runs: [...runs, dogs] }]);
  await view.page.getByRole('tab', { name: 'Compare' }).click();
  await view.renderNow();
  const compare = await view.eval<[number, number, number, number, string]>(`(() => { const e = document.querySelector('.comparison-table'); return [document.documentElement.scrollWidth, document.documentElement.clientWidth, e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX]; })()`);
  assert.ok(compare[0] <= compare[1], `the page does not scroll sideways on Compare (${compare[0]})`);
  if (compare[2] > compare[3]) assert.equal(compare[4], 'auto');
  await view.page.close();
});

/** The text of every header field on show; none may be a bare dash. */
async function headerFields(view: WebviewPage): Promise<Record<string, string>> {
  const fields = await view.eval<[string, string][]>(`[...document.querySelectorAll('.progress .progress-item')].filter((i) => !i.hidden).map((i) => [i.querySelector('dt').textContent, i.querySelector('dd').textContent])`);
  for (const [name, value] of fields) assert.ok(value !== '' && value !== '–', `the header shows ${name} without a value`);
  return Object.fromEntries(fields);
}

test('the training header: Data while the data set loads, the data set once known, never a bare dash', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const live = runOptions[0]!;
  const stream = trainerStream(live);
  const modelAt = stream.findIndex((m) => m.type === 'trainer' && m.message.type === 'event' && m.message.event.type === 'model');
  const view = await WebviewPage.open(b);
  await view.send([init, ...stream.slice(0, modelAt)]);
  assert.deepEqual(await headerFields(view), { Backend: 'tensorflow (CPU (8 threads))', Data: 'decoding 60,000' });
  // Training: the loading stage is over and nothing names the data set yet, so no Data field.
  await view.send(stream.slice(modelAt, modelAt + 30));
  const training = await headerFields(view);
  assert.equal(training['Data'], undefined);
  assert.equal(training['Model'], `${live.model} (1 of 1)`);
  assert.match(training['ETA'] ?? '', /to epoch 10|…/);
  // Finished: the run's record names the data set and its splits.
  await view.send([...stream.slice(modelAt + 30), { type: 'runs', runs: [fashion] }]);
  const finished = await headerFields(view);
  assert.equal(finished['Data'], 'fashion-mnist: 54,000 train, 6,000 validation, 10,000 test');
  assert.equal(finished['ETA'], undefined, 'no ETA once the run is over');
  await view.page.close();

  // The session ends while the data set loads: no loading text is left behind.
  const cut = await WebviewPage.open(b);
  await cut.send([init, ...stream.slice(0, modelAt), { type: 'session-ended', cancelled: true }]);
  assert.equal((await headerFields(cut))['Data'], undefined);
  assert.equal(await cut.text('.outcome'), 'Training cancelled.');
  await cut.page.close();

  // A trainer that names the data set when it has loaded it: shown while the model trains.
  const named = await WebviewPage.open(b);
  const dataset: HostToView = { type: 'trainer', message: { type: 'event', event: { type: 'dataset', name: 'fashion-mnist', train: 60_000, test: 10_000 } as never } };
  await named.send([init, ...stream.slice(0, modelAt), dataset, ...stream.slice(modelAt, modelAt + 30)]);
  assert.equal((await headerFields(named))['Data'], 'fashion-mnist: 60,000 train, 10,000 test');
  assert.equal(await named.eval<number>('window.__layerlabView.invalidMessages()'), 0);
  await named.page.close();
});
