import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { HostToTuneView } from '../../language-server/src/protocol/views.js';
import { assertThemeBackground, luminance, pngOf, tuneView, useBrowser, waitForPostedFile, WebviewPage } from '../view/browser.js';
import { artifactsDir } from './browser.js';
import { bestRecord, completedIds, failedTrial, parameters, plan, records, summary, trialHistory, tuneStream } from './fixtures.js';

const needBrowser = useBrowser();

const init = (stop = true, openRun = true): HostToTuneView => ({ type: 'init', title: 'MNIST search', capabilities: { stop, openRun } });
const stream = tuneStream();
/** The stream cut inside trial 0007: two epochs done, two batches into the third. */
const liveStream = tuneStream({ stopIn: { trialId: '0007', epochs: 2, batches: 2 } });

interface SeriesInfo {
  rows: number;
  points: number[];
}

const rowIds = (view: WebviewPage) => view.page.locator('table.trials-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trial') ?? ''));
const scoreOf = (id: string) => records.find((r) => r.id === id)?.score;

test('a live search: ready first, the progress header, running and failed trials, Stop', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([init(), ...liveStream]);
  assert.deepEqual((await view.posted())[0], { type: 'ready' });
  assert.equal(await view.text('.view-title'), 'MNIST search');
  assert.equal(await view.text('.progress-search dd'), 'mnist_search');
  assert.equal(await view.text('.progress-strategy dd'), 'Hyperband(max_epochs=6, factor=3, iterations=1)');
  assert.equal(await view.text('.progress-objective dd'), 'val_loss (minimise)');
  assert.equal(await view.text('.progress-trial dd'), '#8 (0007)');
  assert.equal(await view.text('.progress-point dd'), 'units=256, learning_rate=7.10e-4, batch_norm=true, activation=tanh');
  assert.equal(await view.text('.progress-epochs dd'), '1–6, now 3');
  assert.equal(await view.text('.progress-bracket dd'), 'bracket 0, round 0');
  assert.equal(await view.text('.progress-batch dd'), '2 / 4 (epoch 3)');
  assert.equal(await view.text('.progress-backend dd'), 'tensorflow (CPU (8 threads))');
  // The data set loaded before the first trial trained: its loading stage is not shown any more.
  assert.equal(await view.page.locator('.progress-data').isVisible(), false);
  assert.match(await view.text('.progress .note'), /trial 0005: continuing from trial 0000/);

  assert.deepEqual(await rowIds(view), plan.slice(0, 8).map((p) => p.id));
  assert.equal(await view.text('tr[data-trial="0007"] td.status'), 'running (epoch 2 of 6)');
  const failed = await view.text(`tr[data-trial="${failedTrial.id}"] td.status`);
  assert.equal(failed.replace(/\s+/g, ' '), `failed: ${failedTrial.failure}`.replace(/\s+/g, ' '));
  // The running trial is the one shown, its two finished epochs drawn.
  const series = await view.eval<Record<string, SeriesInfo>>('window.__layerlabTuneView.series()');
  assert.deepEqual(series['trialLoss'], { rows: 2, points: [2, 2] });

  const stop = view.page.getByRole('button', { name: 'Stop the search' });
  await stop.click();
  assert.deepEqual((await view.posted()).at(-1), { type: 'stop' });
  await view.page.getByRole('button', { name: 'Open a saved search' }).click();
  assert.deepEqual((await view.posted()).at(-1), { type: 'open-run' });
  await view.send([{ type: 'session-ended', cancelled: true }]);
  assert.equal(await stop.isVisible(), false, 'Stop disappears after the session');
  assert.equal(await view.text('.outcome'), 'Search stopped.');
  assert.equal(await view.page.locator('.progress-trial').isVisible(), false, 'no running trial after the session');
  assert.deepEqual(view.errors, []);
  assert.deepEqual(await view.cspViolations(), []);
  await view.page.close();
});

test('without the capabilities there is no Stop and no Open button', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([init(false, false), ...liveStream]);
  assert.equal(await view.page.getByRole('button', { name: 'Stop the search' }).isVisible(), false);
  assert.equal(await view.page.getByRole('button', { name: 'Open a saved search' }).isVisible(), false);
  await view.page.close();
});

test('the trials table: a row per trial, sorting by any column with the mouse and the keyboard', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([init(), ...stream]);
  assert.deepEqual(await rowIds(view), plan.map((p) => p.id));
  const headers = await view.page.locator('table.trials-table thead button.sort').allInnerTexts();
  assert.deepEqual(
    headers.map((h) => h.replace(/[▲▼]/g, '').trim()),
    ['Trial', 'Status', ...parameters, 'Epochs', 'Params', 'val_loss (lower is better)'],
  );
  const byScore = [...completedIds].sort((a, b) => (scoreOf(a) ?? 0) - (scoreOf(b) ?? 0));
  const scoreHeader = view.page.locator('button.sort[data-column="score"]');
  await scoreHeader.click();
  assert.deepEqual(await rowIds(view), [...byScore, failedTrial.id], 'best score first, the failed trial last');
  assert.equal(await view.page.locator('th:has(button[data-column="score"])').getAttribute('aria-sort'), 'ascending');
  await scoreHeader.click();
  assert.deepEqual(await rowIds(view), [...byScore].reverse().concat(failedTrial.id), 'reversed; no score stays last');
  assert.equal(await view.page.locator('th:has(button[data-column="score"])').getAttribute('aria-sort'), 'descending');
  const scores = await view.page.locator('table.trials-table tbody td.score').allInnerTexts();
  assert.equal(scores[0], (scoreOf(byScore.at(-1)!) ?? 0).toFixed(4));

  // The keyboard: a header button sorts on Enter and keeps the focus.
  await view.page.locator('button.sort[data-column="param:units"]').focus();
  await view.page.keyboard.press('Enter');
  const byUnits = [...plan].sort((a, b) => Number(a.point['units']) - Number(b.point['units']) || a.id.localeCompare(b.id)).map((p) => p.id);
  assert.deepEqual(await rowIds(view), byUnits);
  assert.equal(await view.eval<string>('document.activeElement.dataset.column'), 'param:units');
  await view.page.keyboard.press('Space');
  assert.deepEqual(await rowIds(view), [...plan].sort((a, b) => Number(b.point['units']) - Number(a.point['units']) || a.id.localeCompare(b.id)).map((p) => p.id));
  await view.page.locator('button.sort[data-column="param:batch_norm"]').click();
  const ids = await rowIds(view);
  assert.deepEqual(ids.slice(0, 4).map((id) => plan.find((p) => p.id === id)?.point['batch_norm']), [false, false, false, false], 'false before true');
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test('the best trial: highlighted in the table and the plots, shown in its panel', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([init(), ...stream]);
  assert.equal(bestRecord.id, '0005');
  assert.deepEqual(await view.page.locator('table.trials-table tbody tr.best').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trial'))), [bestRecord.id]);
  assert.match(await view.text('tr.best th'), /★ best/);
  assert.equal(await view.text('.best-trial .best-id'), bestRecord.id);
  assert.match(await view.text('.best-trial .best-score'), new RegExp(`val_loss ${bestRecord.score!.toFixed(4)}`));
  const values = await view.page.locator('.best-trial dd.best-value').evaluateAll((dds) => dds.map((d) => [d.getAttribute('data-parameter'), d.textContent]));
  assert.deepEqual(values, [
    ['units', '64'],
    ['learning_rate', '0.003162'],
    ['batch_norm', 'true'],
    ['activation', 'relu'],
  ]);
  assert.match(await view.text('.best-trial'), /Apply best values/);
  assert.equal(await view.page.locator('svg.parallel polyline.best').getAttribute('data-trial'), bestRecord.id);
  assert.equal(await view.page.locator('svg.scatter circle.best').count(), parameters.length);
  await view.page.close();
});

test('parallel coordinates: an axis per parameter and the objective, a polyline per completed trial', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([init(), ...stream]);
  const axes = await view.page.locator('svg.parallel g.axis').evaluateAll((groups) => groups.map((g) => `${g.getAttribute('data-axis')}:${g.getAttribute('data-scale')}`));
  assert.deepEqual(axes, ['units:linear', 'learning_rate:log', 'batch_norm:category', 'activation:category', 'val_loss:linear']);
  const lines = await view.page.locator('svg.parallel polyline.trial-line').evaluateAll((ls) => ls.map((l) => ({ id: l.getAttribute('data-trial'), vertices: (l.getAttribute('points') ?? '').trim().split(/\s+/).length })));
  assert.deepEqual(lines.map((l) => l.id).sort(), [...completedIds].sort(), 'no line for the failed trial');
  assert.ok(lines.every((l) => l.vertices === parameters.length + 1), 'each line crosses every axis');
  // Categorical axes: evenly spaced ticks, one per value.
  assert.deepEqual(await view.page.locator('svg.parallel g.axis[data-axis="activation"] text.tick-label').allTextContents(), ['gelu', 'relu', 'tanh']);
  assert.deepEqual(await view.page.locator('svg.parallel g.axis[data-axis="batch_norm"] text.tick-label').allTextContents(), ['false', 'true']);
  const logTicks = await view.page.locator('svg.parallel g.axis[data-axis="learning_rate"] text.tick-label').allTextContents();
  assert.ok(logTicks.includes('0.001') && logTicks.includes('0.01'), `log ticks ${logTicks.join(' ')}`);
  // Lines are coloured by score: the best and the worst differ.
  const worst = [...completedIds].sort((a, b) => (scoreOf(b) ?? 0) - (scoreOf(a) ?? 0))[0]!;
  const stroke = (id: string) => view.page.locator(`svg.parallel polyline[data-trial="${id}"]`).getAttribute('stroke');
  assert.notEqual(await stroke(bestRecord.id), await stroke(worst));
  assert.ok((await view.page.locator('svg.parallel').getAttribute('aria-label'))?.includes('9 completed trials'));
  await view.page.locator('.search-plots .chart-frame').first().locator('details summary').click();
  assert.equal(await view.page.locator('.search-plots .chart-frame').first().locator('table tbody tr').count(), completedIds.length, 'the table alternative lists every completed trial');
  await view.page.close();
});

test('scatter plots: one per parameter, a point per completed trial; clicking one selects its trial', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([init(), ...stream]);
  const plots = await view.page.locator('svg.scatter').evaluateAll((svgs) => svgs.map((s) => [s.getAttribute('data-parameter'), s.querySelectorAll('circle.point').length]));
  assert.deepEqual(plots, parameters.map((p) => [p, completedIds.length]));
  await view.page.locator('svg.scatter[data-parameter="units"] circle[data-trial="0001"]').click();
  assert.equal((await view.eval<{ selectedTrialId?: string }>('window.__layerlabTuneView.state()')).selectedTrialId, '0001');
  await view.page.close();
});

test('selecting a trial (click, or Enter on its row) shows its curves; the overlay has every trial', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([init(), ...stream]);
  const series = () => view.eval<Record<string, SeriesInfo>>('window.__layerlabTuneView.series()');
  // Nothing picked: the best trial is shown.
  assert.equal(await view.text('.trial-curves h2'), `Trial ${bestRecord.id}`);
  await view.page.locator('tr[data-trial="0003"]').click();
  assert.deepEqual((await series())['trialLoss'], { rows: 2, points: [2, 2] });
  assert.equal(await view.text('.trial-curves h2'), 'Trial 0003');
  assert.equal(await view.page.locator('tr[data-trial="0003"]').getAttribute('aria-current'), 'true');
  // Keyboard: arrows move between rows, Enter selects.
  await view.page.locator('tr[data-trial="0003"]').focus();
  await view.page.keyboard.press('ArrowDown');
  await view.page.keyboard.press('ArrowDown');
  await view.page.keyboard.press('Enter');
  assert.equal(await view.text('.trial-curves h2'), 'Trial 0005');
  assert.deepEqual((await series())['trialLoss'], { rows: 4, points: [4, 4] }, 'epochs 3–6 of the promoted trial');
  assert.deepEqual((await series())['trialAccuracy'], { rows: 4, points: [4, 4] });
  assert.match(await view.text('.trial-curves .note'), /continues trial 0000/);
  assert.equal(await view.eval<string>('document.activeElement.dataset.trial'), '0005', 'the focus stays on the row');
  await view.page.keyboard.press('ArrowDown');
  await view.page.keyboard.press(' ');
  assert.deepEqual((await series())['trialLoss'], { rows: 4, points: [4, 4] });
  assert.equal(await view.text('.trial-curves h2'), 'Trial 0006');
  // The failed trial has no curves and says why.
  await view.page.locator(`tr[data-trial="${failedTrial.id}"]`).click();
  assert.match(await view.text('.trial-curves .empty'), /failed before training an epoch: search\.model:14/);
  // The overlay: one series per trial that trained, its epochs only.
  const overlay = (await series())['overlay'];
  const trained = plan.filter((p) => !p.failure);
  assert.deepEqual(overlay, { rows: 6, points: trained.map((p) => trialHistory(p).length) });
  await view.page.close();
});

test('invalid messages and malformed events are ignored with a warning', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([
    init(),
    null,
    42,
    { type: 'bogus' },
    { type: 'init', title: 7 },
    { type: 'searches', searches: [{ dir: 3 }] },
    { type: 'trainer', message: {} },
    { type: 'trainer', message: { type: 'tune-event', event: { type: 'trial-end', model: 'mnist_search', trial: { id: 5 } } } },
    { type: 'searches', searches: [summary()] },
  ]);
  assert.equal(await view.eval<number>('window.__layerlabTuneView.invalidMessages()'), 7);
  assert.equal(view.warnings.filter((w) => /ignored (an invalid message|a malformed search event)/.test(w)).length, 7);
  assert.equal(await view.page.locator('table.trials-table tbody tr').count(), plan.length);
  assert.equal(await view.text('.view-title'), 'MNIST search');
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test('replaying the messages after ready changes nothing; saved searches show without a session', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([init(), ...stream]);
  const snapshot = async () => ({
    rows: await view.page.locator('table.trials-table tbody').innerText(),
    series: await view.eval<Record<string, SeriesInfo>>('window.__layerlabTuneView.series()'),
    lines: await view.page.locator('svg.parallel polyline').count(),
  });
  const first = await snapshot();
  await view.send([init(), ...stream, ...liveStream.slice(0, 60)]);
  assert.deepEqual(await snapshot(), first);
  await view.page.close();

  const saved = await WebviewPage.open(b, {}, tuneView);
  await saved.send([init(false, true), { type: 'searches', searches: [summary('cancelled', records.slice(0, 6))] }]);
  assert.equal(await saved.page.locator('table.trials-table tbody tr').count(), 6);
  assert.match(await saved.text('.progress-status dd'), /^cancelled/);
  assert.equal(await saved.page.locator('.progress-backend').isVisible(), false, 'no backend without a session');
  assert.deepEqual((await saved.lastState()) as { loadedSearchIds: string[] }, { version: 1, sortDescending: false, loadedSearchIds: [summary().dir] });
  await saved.page.close();
});

test('UI state is saved on every change and restored after a reload', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([init(), ...stream]);
  await view.page.locator('button.sort[data-column="score"]').click();
  await view.page.locator('button.sort[data-column="score"]').click();
  await view.page.locator('tr[data-trial="0001"]').click();
  const state = await view.lastState();
  assert.deepEqual(state, { version: 1, sortDescending: true, loadedSearchIds: [], sortColumn: 'score', selectedTrialId: '0001' });
  const order = await rowIds(view);
  await view.page.close();

  const reloaded = await WebviewPage.open(b, { state }, tuneView);
  await reloaded.send([init(), ...stream]);
  assert.deepEqual(await rowIds(reloaded), order);
  assert.equal(await reloaded.page.locator('th:has(button[data-column="score"])').getAttribute('aria-sort'), 'descending');
  assert.equal(await reloaded.page.locator('tr[aria-current="true"]').getAttribute('data-trial'), '0001');
  assert.equal(await reloaded.text('.trial-curves h2'), 'Trial 0001');
  await reloaded.page.close();

  const garbage = await WebviewPage.open(b, { state: { version: 1, sortColumn: 'nonsense', selectedTrialId: 9 } }, tuneView);
  await garbage.send([init(), ...stream]);
  assert.deepEqual(await rowIds(garbage), plan.map((p) => p.id));
  await garbage.page.close();
});

test('exports go to the host: trials CSV, search JSON, SVG and PNG of the charts', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send([init(), ...stream]);
  const lastExport = () => view.lastExport();

  await view.page.locator('button.sort[data-column="score"]').click();
  await view.page.getByRole('button', { name: 'Export the trials table as CSV' }).click();
  const csv = await lastExport();
  assert.equal(csv.fileName, 'mnist_search-trials.csv');
  assert.equal(csv.encoding, 'utf8');
  const lines = csv.data.trim().split('\n');
  assert.equal(lines[0], 'trial,status,units,learning_rate,batch_norm,activation,epochs,initial_epoch,params,val_loss,best_epoch,bracket,round,parent,reason');
  assert.equal(lines.length, 1 + plan.length);
  const best = bestRecord;
  assert.equal(lines[1], [best.id, 'completed', 64, 0.003162, true, 'relu', 6, 2, best.params, best.score, best.bestEpoch, 1, 1, '0000', ''].join(','), 'rows in the table order');
  assert.match(lines.at(-1)!, /^0002,failed,16,0\.0912,false,gelu,2,0,,,,1,0,,"search\.model:14: at units=16, learning_rate=0\.0912, .*\(4, 4\)"$/, 'the failed trial last, its reason (with commas) quoted');

  await view.page.getByRole('button', { name: 'Export the search as JSON' }).click();
  const json = JSON.parse((await lastExport()).data) as ReturnType<typeof summary>;
  assert.deepEqual(json, JSON.parse(JSON.stringify(summary())));

  const parseSvg = (svg: string) => view.eval<string>(`(() => { const d = new DOMParser().parseFromString(${JSON.stringify(svg)}, 'image/svg+xml'); return d.querySelector('parsererror') ? 'error' : d.documentElement.nodeName + ':' + d.querySelectorAll('polyline').length + ':' + d.querySelectorAll('circle').length; })()`);
  await view.page.getByRole('button', { name: 'Export Parameters and objective (parallel coordinates) as SVG' }).click();
  const parallel = await lastExport();
  assert.equal(parallel.fileName, 'mnist_search-parallel-coordinates.svg');
  assert.equal(await parseSvg(parallel.data), `svg:${completedIds.length}:0`);
  assert.ok(parallel.data.includes('fill="rgb('), 'theme colours are written into the SVG');
  await view.page.getByRole('button', { name: 'Export Parameters and objective (parallel coordinates) as PNG' }).click();
  await waitForPostedFile(view.page, '.png');
  assert.ok(pngOf((await lastExport()).data).width > 600);
  await view.page.getByRole('button', { name: 'Export val_loss against learning_rate as SVG' }).click();
  const scatter = await lastExport();
  assert.equal(scatter.fileName, 'mnist_search-learning_rate-scatter.svg');
  assert.equal(await parseSvg(scatter.data), `svg:0:${completedIds.length}`);
  await view.page.getByRole('button', { name: 'Export Loss as SVG' }).click();
  const loss = await lastExport();
  assert.equal(loss.fileName, `mnist_search-trial-${bestRecord.id}-loss.svg`);
  assert.match(await parseSvg(loss.data), /^svg:/);
  assert.equal((loss.data.match(/<path /g) ?? []).length, 2, 'training and validation loss');
  await view.page.getByRole('button', { name: 'Export Loss as PNG' }).click();
  assert.ok(pngOf((await lastExport()).data).width >= 300);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test('screenshots in a light and a dark theme', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  mkdirSync(artifactsDir, { recursive: true });
  for (const dark of [false, true]) {
    const view = await WebviewPage.open(b, { dark }, tuneView);
    await view.send([init(), ...liveStream]);
    const shot = await view.page.screenshot({ fullPage: true });
    writeFileSync(join(artifactsDir, `search-${dark ? 'dark' : 'light'}.png`), shot);
    assertThemeBackground(shot, dark);
    // The plots' text follows the theme too.
    const axisText = await view.eval<string>(`getComputedStyle(document.querySelector('svg.parallel text.tick-label')).fill`);
    const [r = 0, g = 0, bl = 0] = (axisText.match(/\d+/g) ?? []).map(Number);
    if (dark) assert.ok(luminance([r, g, bl]) > 150, `light text on dark, ${axisText}`);
    else assert.ok(luminance([r, g, bl]) < 80, `dark text on light, ${axisText}`);
    assert.deepEqual(view.errors, []);
    assert.deepEqual(await view.cspViolations(), []);
    await view.page.close();
  }
});
