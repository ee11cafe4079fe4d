// Parse + analysis time of the examples and of generated models of 1,000 to 20,000
// layers, each run an edit and its analysis as the server's document store does them:
// median, mean (which includes every collection) and 95th percentile after warm-up,
// cost per layer, the growth from 1k to 10k and 10k to 20k, the heap one analysis keeps
// alive, and the garbage collection time within it, with Node's default flags (as the
// language server runs).
// Usage: node out/scripts/bench.js [--shared ../shared]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { analyzeText } from '../language-server/src/analysis/analyze-file.js';
import { semanticTokens } from '../language-server/src/features/semantic-tokens.js';
import { DocumentStore } from '../language-server/src/workspace/document-store.js';

const root = resolve(fileURLToPath(import.meta.url), '../../..');

/** A long model mixing the common layer kinds, `layers` statements in all. */
export function generatedModel(layers: number): string {
  const lines = ['model generated {', '  input (32, 32, 8)'];
  const pattern = [
    'Conv2D(8, 3, padding=same, activation=relu)',
    'BatchNormalization()',
    'Dropout(0.1)',
    'Activation(relu)',
    'DepthwiseConv2D(3, padding=same)',
  ];
  let labelled = 0;
  for (let i = 0; i < layers; i++) {
    if (i % 10 === 9) {
      lines.push(`  Add(s${labelled - 1})`);
      continue;
    }
    if (i % 10 === 0) {
      lines.push(`  s${labelled++} = ${pattern[0]}`);
      continue;
    }
    lines.push(`  ${pattern[i % pattern.length]}`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** Up to the most layers one model may expand to (`maxLayers` in analysis/evaluate-model.ts). */
const scalingSizes = [1000, 2000, 5000, 10000, 20000];

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))] ?? 0;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Every collection V8 reports: entries arrive asynchronously, so they are matched to a run by their start time. */
const collections: { start: number; duration: number }[] = [];

function observeGc(): void {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) collections.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ entryTypes: ['gc'] });
}

/** Collection time within [from, to), as V8 reports it, once its entries have arrived. */
async function gcTimeBetween(from: number, to: number): Promise<number> {
  await new Promise((done) => setTimeout(done, 20));
  let ms = 0;
  for (const c of collections) if (c.start >= from && c.start < to) ms += c.duration;
  collections.length = 0;
  return ms;
}

interface Timing {
  readonly median: number;
  /** Wall time of all timed runs over their count: includes every collection they caused. */
  readonly mean: number;
  readonly p95: number;
  readonly layers: number;
  /** Garbage collection per analysis, as V8 reports it (ms). */
  readonly gc: number;
}

const benchUri = 'file:///bench.model';

/**
 * One edit and the analysis that follows, as the language server does them: the edit replaces the
 * document's entry (its previous analysis is released), and the next request analyses the new text.
 * Returns the layer count only, so that nothing here keeps the analysis alive into the next edit.
 */
function editAndAnalyse(store: DocumentStore, version: number, text: string): number {
  store.set(benchUri, version, text);
  const analysis = store.analysis(benchUri);
  return analysis?.models.reduce((n, m) => n + (m.evaluated?.layers.length ?? 0), 0) ?? 0;
}

async function time(text: string, runs: number, warmup: number): Promise<Timing> {
  const store = new DocumentStore();
  let version = 0;
  let layers = 0;
  for (let i = 0; i < warmup; i++) editAndAnalyse(store, ++version, text);
  const samples: number[] = [];
  const from = performance.now();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    layers = editAndAnalyse(store, ++version, text);
    samples.push(performance.now() - start);
  }
  const elapsed = performance.now() - from;
  store.delete(benchUri);
  const gc = await gcTimeBetween(from, performance.now());
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: median(samples), mean: elapsed / runs, p95: quantile(sorted, 0.95), layers, gc: gc / runs };
}

/** `gc()` without starting Node with `--expose-gc`: the flag takes effect for a new context. */
function collector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap bytes one analysis keeps alive: heap used after full collections, with and without it held. */
function retainedBytes(text: string, gc: () => void): number {
  const used = () => {
    gc();
    gc();
    return process.memoryUsage().heapUsed;
  };
  const before = used();
  const held = analyzeText(text);
  const after = used();
  return held.text === text ? after - before : NaN;
}

const fmt = (ms: number, width = 9) => ms.toFixed(3).padStart(width);

async function examples(shared: string): Promise<void> {
  const dirs = [join(root, 'examples'), join(shared, 'examples')].filter((d) => existsSync(d));
  console.log('parse + analysis of the examples, after warm-up (ms)');
  console.log(`${'input'.padEnd(44)} ${'layers'.padStart(7)} ${'median'.padStart(9)} ${'p95'.padStart(9)} ${'µs/layer'.padStart(9)}`);
  for (const dir of dirs) {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.model')).sort()) {
      const r = await time(readFileSync(join(dir, file), 'utf8'), 200, 50);
      const name = (dir.includes('shared') ? 'shared/' : 'examples/') + file;
      console.log(`${name.padEnd(44)} ${String(r.layers).padStart(7)} ${fmt(r.median)} ${fmt(r.p95)} ${((r.median * 1000) / Math.max(1, r.layers)).toFixed(2).padStart(9)}`);
    }
  }
}

/** The generated models from 1k to 10k layers, under the flags this process runs with. */
async function scaling(): Promise<void> {
  const gc = collector();
  const flags = process.execArgv.join(' ') || 'default flags';
  console.log(`\ngenerated models, ${flags} (node ${process.version})`);
  console.log(`${'layers'.padStart(7)} ${'KiB'.padStart(5)} ${'median ms'.padStart(10)} ${'mean ms'.padStart(9)} ${'p95 ms'.padStart(9)} ${'µs/layer'.padStart(9)} ${'(mean)'.padStart(7)} ${'GC ms'.padStart(8)} ${'retained MB'.padStart(12)}`);
  const medians = new Map<number, number>();
  const means = new Map<number, number>();
  for (const n of scalingSizes) {
    const text = generatedModel(n);
    const r = await time(text, n >= 5000 ? 31 : 61, n >= 5000 ? 10 : 20);
    medians.set(n, r.median);
    means.set(n, r.mean);
    const retained = median([0, 1, 2].map(() => retainedBytes(text, gc)));
    console.log(
      `${String(r.layers).padStart(7)} ${(text.length / 1024).toFixed(0).padStart(5)} ${fmt(r.median, 10)} ${fmt(r.mean)} ${fmt(r.p95)} ${((r.median * 1000) / r.layers).toFixed(2).padStart(9)} ${((r.mean * 1000) / r.layers).toFixed(2).padStart(7)} ${r.gc.toFixed(2).padStart(8)} ${(retained / 1e6).toFixed(2).padStart(12)}`,
    );
  }
  const growth = (of: Map<number, number>, from: number, to: number) => (of.get(to) ?? 0) / (of.get(from) ?? 1);
  // The mean is the measure of growth: collections fall on a few of the 1k runs, which the median
  // leaves out, and on about half of the 10k runs, so that their median lands on either side.
  console.log(`1,000 layers: ${(medians.get(1000) ?? 0).toFixed(2)} ms median (target ≤ 5 ms)`);
  console.log(`growth 1k → 10k: ×${growth(medians, 1000, 10000).toFixed(2)} by median, ×${growth(means, 1000, 10000).toFixed(2)} by mean, for ×10 layers (linear = ×10)`);
  console.log(`growth 10k → 20k: ×${growth(medians, 10000, 20000).toFixed(2)} by median, ×${growth(means, 10000, 20000).toFixed(2)} by mean, for ×2 layers (linear = ×2)`);
}

/** Semantic tokens over chains of variants (`model m2 = m1(…)`): linear now; 5,000 took 1.8 s and 10,000 took 11 s when each variant walked its chain. */
function variantChains(): void {
  console.log('\nsemantic tokens over a chain of variants (ms, median of 5)');
  const times = new Map<number, number>();
  for (const n of [2500, 5000, 10000, 20000]) {
    let source = 'model m0(u = 4) {\n  input (4,)\n  Dense(u)\n}\n';
    for (let i = 1; i < n; i++) source += `model m${i} = m${i - 1}(u = ${(i % 7) + 1})\n`;
    const analysis = analyzeText(source);
    const runs: number[] = [];
    for (let k = 0; k < 5; k++) {
      const started = performance.now();
      semanticTokens(analysis);
      runs.push(performance.now() - started);
    }
    times.set(n, median(runs));
    console.log(`${String(n).padStart(7)} variants ${median(runs).toFixed(1).padStart(8)}`);
  }
  console.log(`growth 10k → 20k: ×${((times.get(20000) ?? 0) / (times.get(10000) ?? 1)).toFixed(2)} for ×2 variants (linear = ×2)`);
}

async function main(): Promise<void> {
  observeGc();
  const sharedArg = process.argv.indexOf('--shared');
  await examples(resolve(sharedArg > 0 ? (process.argv[sharedArg + 1] ?? '../shared') : join(root, '..', 'shared')));
  await scaling();
  variantChains();
}

if (process.argv[1]?.endsWith('bench.js')) await main();
