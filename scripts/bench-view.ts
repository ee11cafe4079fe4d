// Rendering cost of the training view with a long history: 100 epochs × 500 batches
// (50,000 batch points) in headless Chromium, then the time per update. Prints figures.
//   npm run bench:view
import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { renderReport } from '../language-server/src/report/html-report.js';
import { chromiumPath, launchChromium, repoRoot, WebviewPage } from '../test/view/browser.js';
import { makeRun, runOptions } from '../test/view/fixtures.js';

interface Stats {
  p50: number;
  p95: number;
  max: number;
  n: number;
}

const format = (s: Stats) => `p50 ${s.p50.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms, max ${s.max.toFixed(2)} ms (n = ${s.n})`;

// Runs in the page: the history, then the measured updates. Plain JavaScript text (the page has no TypeScript).
const pageScript = `(async () => {
  const view = window.__layerlabView;
  const stats = (values) => {
    const sorted = [...values].sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1], n: sorted.length };
  };
  const EPOCHS = 100, BATCHES = 500;
  const batch = (epoch, b) => ({ type: 'trainer', message: { type: 'event', event: { type: 'training', model: 'bench', event: { type: 'batch', logs: { epoch, batch: b, batches: BATCHES, loss: 0.3 + 2 * Math.exp(-(epoch - 1 + b / BATCHES) / 10) + 0.05 * Math.random(), accuracy: 0.9 - 0.5 * Math.exp(-(epoch - 1 + b / BATCHES) / 10), samplesPerSecond: 5000 } } } } });
  const epochEvent = (epoch) => ({ type: 'trainer', message: { type: 'event', event: { type: 'training', model: 'bench', event: { type: 'epoch', best: epoch % 7 === 0, logs: { epoch, loss: 0.3 + 2 * Math.exp(-epoch / 10), accuracy: 0.9, val_loss: 0.35 + 2 * Math.exp(-epoch / 10), val_accuracy: 0.88, learning_rate: 0.001, seconds: 10 } } } } });
  view.receive({ type: 'init', title: 'bench', capabilities: { stop: true, openRun: false } });
  view.receive({ type: 'trainer', message: { type: 'backend', name: 'cpu', device: 'bench', notes: [] } });
  view.receive({ type: 'trainer', message: { type: 'event', event: { type: 'model', model: 'bench', index: 0, count: 1, runDir: '/bench/run', params: 1000, epochs: 100 } } });
  const loadStart = performance.now();
  for (let e = 1; e <= EPOCHS; e++) {
    for (let b = 1; b <= BATCHES; b++) view.receive(batch(e, b));
    view.receive(epochEvent(e));
  }
  const loadMs = performance.now() - loadStart;
  const firstRender = view.renderNow();
  const series = view.series();
  const batchTimes = [];
  for (let b = 1; b <= 250; b++) {
    view.receive(batch(EPOCHS + 1, b));
    batchTimes.push(view.renderNow());
  }
  const epochTimes = [];
  for (let e = EPOCHS + 1; e <= EPOCHS + 200; e++) {
    view.receive(epochEvent(e));
    epochTimes.push(view.renderNow());
  }
  // Through the real path: a batch message every frame, redrawn by the view's own requestAnimationFrame.
  const frames = [];
  await new Promise((resolve) => {
    let last = performance.now();
    let b = 1;
    const step = () => {
      const now = performance.now();
      frames.push(now - last);
      last = now;
      if (frames.length > 240) return resolve();
      window.dispatchEvent(new MessageEvent('message', { data: batch(EPOCHS + 201, b++) }));
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
  return { loadMs, firstRender, series, batch: stats(batchTimes), epoch: stats(epochTimes), frames: stats(frames.slice(1)) };
})()`;

async function main(): Promise<void> {
  const chromium = chromiumPath();
  if (!chromium) {
    console.log('bench:view: no Chromium (set LAYERLAB_CHROMIUM or install /usr/bin/chromium); nothing measured');
    return;
  }
  const browser = await launchChromium(chromium);
  try {
    const view = await WebviewPage.open(browser);
    const result = await view.eval<{ loadMs: number; firstRender: number; series: Record<string, { rows: number; points: number[] }>; batch: Stats; epoch: Stats; frames: Stats }>(pageScript);
    console.log(`history: 100 epochs × 500 batches; loss chart rows ${result.series['loss']?.rows}, points per series ${result.series['loss']?.points.join(' / ')}`);
    console.log(`applying 50,100 messages: ${result.loadMs.toFixed(0)} ms; first render of it: ${result.firstRender.toFixed(1)} ms`);
    console.log(`render after one new batch point:  ${format(result.batch)}`);
    console.log(`render after one new epoch:        ${format(result.epoch)}`);
    console.log(`frame interval, a batch per frame: ${format(result.frames)}`);
    if (view.errors.length) console.log(`page errors: ${view.errors.join('; ')}`);
  } finally {
    await browser.close();
  }

  // The report as the CLI writes it: production (minified) bundle, 3 runs with galleries.
  const dir = join(tmpdir(), `layerlab-bench-view-${process.pid}`);
  mkdirSync(dir, { recursive: true });
  await Promise.all([
    build({ absWorkingDir: repoRoot, entryPoints: { 'training-view': 'media/view/main.ts' }, bundle: true, format: 'iife', platform: 'browser', target: 'es2020', outdir: dir, minify: true, logLevel: 'error' }),
    build({ absWorkingDir: repoRoot, entryPoints: { 'training-view': 'media/view/view.css' }, bundle: true, outdir: dir, minify: true, logLevel: 'error' }),
  ]);
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
  const runs = runOptions.map((o) => makeRun(o));
  const html = renderReport({ title: 'bench', runs, assetsDir: dir });
  const dataBytes = Buffer.byteLength(JSON.stringify(runs));
  console.log(`minified bundle: training-view.js ${kib(readFileSync(join(dir, 'training-view.js')).length)}, training-view.css ${kib(readFileSync(join(dir, 'training-view.css')).length)}`);
  console.log(`report, 3 runs with galleries: ${kib(Buffer.byteLength(html))} (run data ${kib(dataBytes)}, galleries ${kib(Buffer.byteLength(JSON.stringify(runs.map((r) => r.gallery))))})`);
}

await main();
