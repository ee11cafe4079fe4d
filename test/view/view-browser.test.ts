import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { renderReport } from '../../language-server/src/report/html-report.js';
import type { HostToView, ViewRun } from '../../language-server/src/protocol/views.js';
import { artifactsDir, assertThemeBackground, luminance, openReport, pixel, pngOf, trainingView, useBrowser, viewAssets, waitForElements, waitForGlobal, waitForPostedFile, WebviewPage } from './browser.js';
import { fashionClassNames, galleryPixels, history, makeRun, runOptions, trainerStream } from './fixtures.js';

/** The shared browser, or a skip when there is no Chromium here. */
const needBrowser = useBrowser();

const init = (stop = true, openRun = true): HostToView => ({ type: 'init', title: 'Fashion-MNIST', capabilities: { stop, openRun } });
const live = runOptions[0]!;
const runs: ViewRun[] = runOptions.map((o) => makeRun(o));
const firstRecord = runs[0]!.record;

interface SeriesInfo {
  rows: number;
  points: number[];
}

test('a live session: ready first, curves with every batch and epoch point, progress header, Stop', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b);
  const stream = trainerStream(live, { finish: false });
  await view.send([init(), ...stream]);
  const posted = await view.posted();
  assert.deepEqual(posted[0], { type: 'ready' });
  const series = await view.eval<Record<string, SeriesInfo>>('window.__layerlabView.series()');
  const batchCount = live.epochs * live.batches;
  // Each epoch's last batch shares its row with the epoch point: rows = batch points.
  assert.deepEqual(series['loss'], { rows: batchCount, points: [batchCount, live.epochs, live.epochs] });
  assert.deepEqual(series['accuracy'], { rows: batchCount, points: [batchCount, live.epochs, live.epochs] });
  assert.ok((await view.eval<number>('window.__layerlabView.ink("loss")')) > 2000, 'the loss canvas is painted');
  assert.ok((await view.eval<number>('window.__layerlabView.ink("accuracy")')) > 2000, 'the accuracy canvas is painted');
  assert.equal(await view.text('.progress-model dd'), `${live.model} (1 of 1)`);
  assert.equal(await view.text('.progress-batch dd'), `${live.batches} / ${live.batches}`);
  assert.equal(await view.text('.progress-backend dd'), 'tensorflow (CPU (8 threads))');
  assert.match(await view.text('.progress-speed dd'), /^4,[0-9]{3}$/);
  assert.match(await view.text('.progress-eta dd'), /\(to epoch 10\)$/);
  assert.match(await view.text('.progress .note'), /learning rate reduced/);
  // The best epoch (lowest validation loss) is marked in the table and the SVG.
  const best = history(live).bestEpoch;
  assert.equal(await view.page.locator('.curves .data-table').count(), 0, 'closed tables are not built');
  await view.page.locator('.curves details summary').first().click();
  assert.match(await view.page.locator('.curves .data-table').first().innerHTML(), new RegExp(`>${best} \\(best\\)<`));
  assert.match((await view.eval<string>('window.__layerlabView.svg("loss")')) ?? '', /class="best-marker"/);

  const stop = view.page.getByRole('button', { name: 'Stop training' });
  await stop.click();
  assert.deepEqual((await view.posted()).at(-1), { type: 'stop' });
  await view.send([{ type: 'session-ended', cancelled: true }]);
  assert.equal(await stop.isVisible(), false, 'Stop disappears after the session');
  assert.equal(await view.text('.outcome'), 'Training cancelled.');
  await view.send([{ type: 'session-ended', cancelled: false, error: 'out of memory' }]);
  assert.equal(await view.text('.outcome'), 'Training failed: out of memory');
  assert.deepEqual(view.errors, []);
  assert.deepEqual(await view.cspViolations(), []);
  await view.page.close();
});

test('without the stop capability there is no Stop button, without openRun no Open Run', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b);
  await view.send([init(false, false), ...trainerStream(live, { finish: false }).slice(0, 20)]);
  assert.equal(await view.page.getByRole('button', { name: 'Stop training' }).isVisible(), false);
  assert.equal(await view.page.getByRole('button', { name: 'Open Run…' }).isVisible(), false);
  await view.send([init(true, true)]);
  await view.page.getByRole('button', { name: 'Open Run…' }).click();
  assert.deepEqual((await view.posted()).at(-1), { type: 'open-run' });
  await view.page.close();
});

test('replayed messages and runs change nothing (the host re-sends everything after ready)', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b);
  const stream = trainerStream(live);
  await view.send([init(), ...stream, { type: 'runs', runs }]);
  const before = await view.eval<Record<string, SeriesInfo>>('window.__layerlabView.series()');
  const options = await view.page.locator('#run-picker option').count();
  await view.send([init(), ...stream, { type: 'runs', runs }, ...stream.slice(0, 40)]);
  assert.deepEqual(await view.eval('window.__layerlabView.series()'), before);
  assert.equal(options, runs.length, 'the finished live run is the saved run with the same id');
  assert.equal(await view.page.locator('#run-picker option').count(), runs.length);
  assert.equal(await view.page.locator('.progress .note').innerText(), `${live.model}: epoch 7: learning rate reduced to 0.0005`);
  await view.page.close();
});

test('invalid messages are ignored with a warning', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b);
  await view.send([init(), null, 42, { type: 'runs', runs: [{ id: 'x', record: { version: 2 } }] }, { type: 'bogus' }, { type: 'init', title: 7 }, { type: 'trainer', message: {} }, { type: 'runs', runs: [runs[0]] }]);
  assert.equal(await view.eval<number>('window.__layerlabView.invalidMessages()'), 6);
  assert.equal(view.warnings.filter((w) => w.includes('ignored an invalid message')).length, 6);
  assert.equal(await view.page.locator('#run-picker option').count(), 1);
  assert.equal(await view.text('.view-title'), 'Fashion-MNIST');
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test('the confusion matrix: 100 cells with the counts, row-normalised values, labels for each cell', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b);
  await view.send([init(), { type: 'runs', runs: [runs[0]] }]);
  await view.page.getByRole('tab', { name: 'Test results' }).click();
  await view.eval('window.__layerlabView.renderNow()');
  const confusion = firstRecord.test!.confusion;
  const cells = view.page.locator('svg.matrix g.cell');
  assert.equal(await cells.count(), 100);
  const texts = await view.page.locator('svg.matrix g.cell text').allTextContents();
  assert.deepEqual(texts, confusion.flat().map(String));
  assert.equal(await view.page.locator('svg.matrix g.cell[data-true="6"][data-predicted="0"]').getAttribute('aria-label'), `true Shirt, predicted T-shirt/top: ${confusion[6]![0]} (${((confusion[6]![0]! / 1000) * 100).toFixed(1)}% of the row)`);
  await view.page.getByLabel('Normalise rows').check();
  await view.eval('window.__layerlabView.renderNow()');
  const normalised = await view.page.locator('svg.matrix g.cell text').allTextContents();
  const expected = confusion.flatMap((row) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((v) => {
      const f = v / total;
      return (f * 100).toFixed(f >= 0.995 || f === 0 ? 0 : 1);
    });
  });
  assert.deepEqual(normalised, expected);
  // The table alternative has the same values.
  const tableRow = await view.page.locator('.confusion .data-table tbody tr').nth(6).locator('td').allTextContents();
  assert.deepEqual(tableRow, confusion[6]!.map((v) => `${((v / 1000) * 100).toFixed(1)}%`));
  await view.page.close();
});

test('clicking a cell, or Enter on it, shows its test images with labels and confidence', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b);
  await view.send([init(), { type: 'runs', runs: [runs[0]] }]);
  await view.page.getByRole('tab', { name: 'Test results' }).click();
  await view.page.locator('svg.matrix g.cell[data-true="6"][data-predicted="0"]').click();
  await view.eval('window.__layerlabView.renderNow()');
  const cell = runs[0]!.gallery!.cells.find((c) => c.trueClass === 6 && c.predictedClass === 0)!;
  assert.equal(await view.text('.gallery h3'), 'True Shirt, predicted T-shirt/top');
  assert.equal(await view.page.locator('.gallery-item').count(), cell.samples.length);
  assert.equal(await view.text('.gallery .note'), `12 of ${cell.count} images, least confident first.`);
  const first = cell.samples[0]!;
  assert.equal(await view.text('.gallery-item .sample-true'), 'true: Shirt');
  assert.equal(await view.text('.gallery-item .sample-predicted'), 'predicted: T-shirt/top');
  assert.equal(await view.text('.gallery-item .sample-confidence'), `confidence ${(first.confidence * 100).toFixed(1)}%`);
  // The canvas holds the sample's own pixels.
  const drawn = await view.eval<number[]>(`(() => { const c = document.querySelector('.gallery-item canvas'); const d = c.getContext('2d').getImageData(0, 0, 28, 28).data; return [c.width, c.height, d[0], d[(14 * 28 + 14) * 4], d[(14 * 28 + 14) * 4 + 3]]; })()`);
  const pixels = galleryPixels(first.index, 6, 0);
  assert.deepEqual(drawn, [28, 28, pixels[0], pixels[14 * 28 + 14], 255]);
  // Keyboard: arrows move focus, Enter selects.
  await view.page.locator('svg.matrix g.cell[data-true="6"][data-predicted="0"]').focus();
  await view.page.keyboard.press('ArrowUp');
  await view.page.keyboard.press('Enter');
  await view.eval('window.__layerlabView.renderNow()');
  assert.equal(await view.text('.gallery h3'), 'True Sandal, predicted T-shirt/top');
  assert.deepEqual((await view.eval<{ selectedCell: unknown }>('window.__layerlabView.state()')).selectedCell, { trueClass: 5, predictedClass: 0 });
  await view.page.locator('svg.matrix g.cell[data-true="1"][data-predicted="1"]').focus();
  await view.page.keyboard.press('Space');
  await view.eval('window.__layerlabView.renderNow()');
  assert.equal(await view.text('.gallery h3'), 'True Trouser, predicted Trouser');
  // A run without a gallery says why.
  await view.send([{ type: 'runs', runs: [{ id: runs[0]!.id, record: firstRecord }] }]);
  assert.match(await view.text('.gallery'), /gallery\.json\) was not loaded/);
  await view.page.close();
});

test('comparison: a row per run, differences from the chosen baseline, overlaid curves', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b);
  await view.send([init(), { type: 'runs', runs }]);
  await view.page.getByRole('tab', { name: 'Compare' }).click();
  await view.eval('window.__layerlabView.renderNow()');
  const rows = view.page.locator('table.comparison-runs tbody tr');
  assert.equal(await rows.count(), 3);
  const testAccuracy = runs.map((r) => r.record.test!.accuracy);
  const delta = (a: number, b: number) => {
    const p = (a - b) * 100;
    return `${p > 0 ? '+' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(1)} pp`;
  };
  assert.equal(await rows.nth(0).locator('td').nth(5).innerText(), 'baseline');
  assert.equal(await rows.nth(1).locator('td').nth(5).innerText(), delta(testAccuracy[1]!, testAccuracy[0]!));
  assert.equal(await rows.nth(1).locator('td').nth(0).innerText(), '225,034');
  await view.page.locator('#baseline').selectOption(runs[1]!.id);
  await view.eval('window.__layerlabView.renderNow()');
  assert.equal(await rows.nth(1).locator('td').nth(5).innerText(), 'baseline');
  assert.equal(await rows.nth(2).locator('td').nth(5).innerText(), delta(testAccuracy[2]!, testAccuracy[1]!));
  assert.equal(await rows.nth(2).locator('td').nth(7).innerText(), '−199,584');
  const series = await view.eval<Record<string, SeriesInfo>>('window.__layerlabView.series()');
  assert.deepEqual(series['compareAccuracy'], { rows: 12, points: runOptions.map((o) => o.epochs) });
  assert.deepEqual(series['compareLoss'], { rows: 12, points: runOptions.map((o) => o.epochs) });
  assert.ok((await view.eval<number>('window.__layerlabView.ink("compareAccuracy")')) > 1000);
  assert.equal((await view.eval<{ baselineId: string }>('window.__layerlabView.state()')).baselineId, runs[1]!.id);
  await view.page.close();
});

test('UI state is saved on every change and restored after a reload', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b);
  await view.send([init(), { type: 'runs', runs }]);
  await view.page.getByLabel('Logarithmic loss axis').check();
  await view.page.locator('#run-picker').selectOption(runs[1]!.id);
  await view.page.getByRole('tab', { name: 'Test results' }).click();
  await view.eval('window.__layerlabView.renderNow()');
  await view.page.locator('svg.matrix g.cell[data-true="4"][data-predicted="2"]').click();
  await view.page.getByLabel('Normalise rows').check();
  const saved = await view.lastState();
  assert.deepEqual(saved, { version: 1, tab: 'results', logScale: true, normalized: true, loadedRunIds: runs.map((r) => r.id), selectedRunId: runs[1]!.id, selectedCell: { trueClass: 4, predictedClass: 2 } });
  await view.page.close();

  const reloaded = await WebviewPage.open(b, { state: saved });
  await reloaded.send([init(), { type: 'runs', runs }]);
  assert.equal(await reloaded.page.getByRole('tab', { name: 'Test results' }).getAttribute('aria-selected'), 'true');
  assert.equal(await reloaded.page.locator('#run-picker').inputValue(), runs[1]!.id);
  assert.equal(await reloaded.text('.gallery h3'), 'True Coat, predicted Pullover');
  assert.equal(await reloaded.page.getByLabel('Normalise rows').isChecked(), true);
  assert.equal(await reloaded.page.getByLabel('Logarithmic loss axis').isChecked(), true);
  await reloaded.page.getByRole('tab', { name: 'Curves' }).click();
  await reloaded.eval('window.__layerlabView.renderNow()');
  assert.match((await reloaded.eval<string>('window.__layerlabView.svg("loss")')) ?? '', /loss \(log\)/);
  await reloaded.page.close();
});

test('exports go to the host: CSV history, JSON record, SVG and PNG of charts', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b);
  await view.send([init(), { type: 'runs', runs: [runs[0]] }]);
  const lastExport = () => view.lastExport();

  await view.page.getByRole('button', { name: 'Export the training history as CSV' }).click();
  const csv = await lastExport();
  assert.equal(csv.encoding, 'utf8');
  assert.match(csv.fileName, /^fashion_dense-2025-06-02-10-00-00-history\.csv$/);
  const lines = csv.data.trim().split('\n');
  assert.equal(lines[0], 'epoch,loss,accuracy,val_loss,val_accuracy,learning_rate,seconds');
  assert.equal(lines.length, 1 + firstRecord.history.length);
  const h3 = firstRecord.history[2]!;
  assert.equal(lines[3], [h3.epoch, h3.loss, h3.accuracy, h3.val_loss, h3.val_accuracy, h3.learning_rate, h3.seconds].join(','));

  await view.page.getByRole('button', { name: 'Export the run record as JSON' }).click();
  assert.deepEqual(JSON.parse((await lastExport()).data), firstRecord);

  const parseSvg = (svg: string) => view.eval<string>(`(() => { const d = new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml'); return d.querySelector('parsererror') ? 'error' : d.documentElement.nodeName + ':' + d.querySelectorAll('path').length; })()`);
  await view.page.getByRole('button', { name: 'Export Loss as SVG' }).click();
  const lossSvg = await lastExport();
  assert.match(lossSvg.fileName, /^fashion_dense-loss\.svg$/);
  assert.equal(await parseSvg(lossSvg.data), 'svg:3', 'one path per series');
  await view.page.getByRole('button', { name: 'Export Loss as PNG' }).click();
  const lossPng = await lastExport();
  assert.equal(lossPng.encoding, 'base64');
  assert.ok(pngOf(lossPng.data).width >= 300);

  await view.page.getByRole('tab', { name: 'Test results' }).click();
  await view.eval('window.__layerlabView.renderNow()');
  await view.page.getByRole('button', { name: 'Export Confusion matrix (test set) as SVG' }).click();
  const matrixSvg = await lastExport();
  assert.match(await parseSvg(matrixSvg.data), /^svg:/);
  assert.ok(matrixSvg.data.includes('fill="rgb('), 'theme colours are written into the SVG');
  await view.page.getByRole('button', { name: 'Export Confusion matrix (test set) as PNG' }).click();
  await waitForPostedFile(view.page, '.png');
  const matrixPng = pngOf((await lastExport()).data);
  assert.ok(matrixPng.width > 400 && matrixPng.height > 400);
  await view.page.getByRole('button', { name: 'Export Per-class metrics (test set) as SVG' }).click();
  assert.match(await parseSvg((await lastExport()).data), /^svg:/);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test('screenshots in a light and a dark theme', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  mkdirSync(artifactsDir, { recursive: true });
  for (const dark of [false, true]) {
    const view = await WebviewPage.open(b, { dark });
    await view.send([init(), ...trainerStream(live), { type: 'runs', runs }]);
    await view.page.getByRole('tab', { name: 'Test results' }).click();
    await view.page.locator('svg.matrix g.cell[data-true="6"][data-predicted="0"]').click();
    await view.eval('window.__layerlabView.renderNow()');
    const results = await view.page.screenshot({ fullPage: true });
    await view.page.getByRole('tab', { name: 'Curves' }).click();
    await view.eval('window.__layerlabView.renderNow()');
    const curves = await view.page.screenshot({ fullPage: true });
    const name = dark ? 'dark' : 'light';
    writeFileSync(join(artifactsDir, `webview-${name}-results.png`), results);
    writeFileSync(join(artifactsDir, `webview-${name}-curves.png`), curves);
    for (const shot of [results, curves]) {
      assertThemeBackground(shot, dark);
    }
    // The canvases follow the theme too: re-read colours for a class change.
    assert.deepEqual(view.errors, []);
    await view.page.close();
  }
});

test('switching the theme at run time redraws the charts in its colours', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b);
  await view.send([init(), { type: 'runs', runs: [runs[0]] }]);
  const lightSvg = (await view.eval<string>('window.__layerlabView.svg("loss")')) ?? '';
  assert.match(lightSvg, /<rect width="100%" height="100%" fill="#ffffff"\/>/);
  await view.eval(`(() => { document.body.style.setProperty('--vscode-editor-background', '#101010'); document.body.className = 'vscode-dark'; })()`);
  await view.page.waitForFunction(() => ((globalThis as unknown as { __layerlabView: { svg(id: string): string | undefined } }).__layerlabView.svg('loss') ?? '').includes('fill="#101010"'));
  assert.ok((await view.eval<number>('window.__layerlabView.ink("loss")')) > 1000);
  await view.page.close();
});

test('the HTML report opens in Chromium on its own: matrix, comparison, downloads, no CSP violation', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const { dir } = await viewAssets();
  const html = renderReport({ title: 'Fashion-MNIST report', runs, assetsDir: dir });
  const { page, url, problems, remote } = await openReport(b, html, 'report.html', trainingView);
  assert.equal(await page.locator('.view-title').innerText(), 'Fashion-MNIST report');
  assert.equal(await page.locator('#run-picker option').count(), 3);
  assert.equal(await page.getByRole('button', { name: 'Stop training' }).isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Open Run…' }).isVisible(), false);
  await page.getByRole('tab', { name: 'Test results' }).click();
  await waitForElements(page, 'svg.matrix g.cell', 100);
  assert.equal(await page.locator('svg.matrix g.cell').count(), 100);
  const selected = runs.at(-1)!.record.test!.confusion;
  assert.deepEqual(await page.locator('svg.matrix g.cell text').allTextContents(), selected.flat().map(String));
  await page.locator('svg.matrix g.cell[data-true="0"][data-predicted="6"]').click();
  await waitForElements(page, '.gallery-item');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export the training history as CSV' }).click();
  const csv = await download;
  assert.match(csv.suggestedFilename(), /^fashion_small-.*-history\.csv$/);
  await page.getByRole('tab', { name: 'Compare' }).click();
  await waitForElements(page, 'table.comparison-runs tbody tr', 3);
  assert.equal(await page.locator('table.comparison-runs tbody tr').count(), 3);
  mkdirSync(artifactsDir, { recursive: true });
  const shot = await page.screenshot({ fullPage: true });
  writeFileSync(join(artifactsDir, 'report-compare.png'), shot);
  const png = PNG.sync.read(shot);
  assert.ok(luminance(pixel(png, 3, png.height - 3)) > 200, 'the report defaults to a light palette');
  assert.deepEqual(problems, []);
  assert.deepEqual(remote, []);
  await page.close();

  const darkPage = await b.newPage({ viewport: { width: 1000, height: 700 }, colorScheme: 'dark' });
  await darkPage.goto(url);
  await waitForGlobal(darkPage, '__layerlabView');
  const darkShot = await darkPage.screenshot();
  writeFileSync(join(artifactsDir, 'report-dark.png'), darkShot);
  assert.ok(luminance(pixel(PNG.sync.read(darkShot), 3, 690)) < 60, 'prefers-color-scheme: dark gives a dark report');
  await darkPage.close();
});

test('class names come from the record', () => {
  assert.deepEqual(firstRecord.dataset.classNames, [...fashionClassNames]);
});
