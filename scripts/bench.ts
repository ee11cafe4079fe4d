// Parse + analysis time of the examples and of generated 1,000- and 10,000-layer
// models: medians after warm-up, cost per layer, and the growth from 1k to 10k.
// Usage: node out/scripts/bench.js [--shared ../shared]
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { analyzeText } from '../language-server/src/analysis/analyze-file.js';

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

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

function time(text: string, runs: number, warmup: number): { median: number; p95: number; layers: number } {
  let layers = 0;
  for (let i = 0; i < warmup; i++) analyzeText(text);
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    const analysis = analyzeText(text);
    samples.push(performance.now() - start);
    layers = analysis.models.reduce((n, m) => n + (m.evaluated?.layers.length ?? 0), 0);
  }
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: median(samples), p95: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] ?? 0, layers };
}

if (process.argv[1]?.endsWith("bench.js")) main();
function main(): void {
const fmt = (ms: number) => ms.toFixed(3).padStart(9);
const sharedArg = process.argv.indexOf('--shared');
const shared = resolve(sharedArg > 0 ? (process.argv[sharedArg + 1] ?? '../shared') : join(root, '..', 'shared'));
const dirs = [join(root, 'examples'), join(shared, 'examples')].filter((d) => existsSync(d));

console.log('parse + analysis, median of runs after warm-up (ms)');
console.log(`${'input'.padEnd(44)} ${'layers'.padStart(7)} ${'median'.padStart(9)} ${'p95'.padStart(9)} ${'µs/layer'.padStart(9)}`);
for (const dir of dirs) {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.model')).sort()) {
    const r = time(readFileSync(join(dir, file), 'utf8'), 200, 50);
    console.log(`${(dir.includes('shared') ? 'shared/' : 'examples/') + file}`.padEnd(44) + ` ${String(r.layers).padStart(7)} ${fmt(r.median)} ${fmt(r.p95)} ${((r.median * 1000) / Math.max(1, r.layers)).toFixed(2).padStart(9)}`);
  }
}
const results: Record<number, number> = {};
for (const n of [100, 1000, 10000]) {
  const text = generatedModel(n);
  const r = time(text, n >= 10000 ? 15 : 60, n >= 10000 ? 5 : 20);
  results[n] = r.median;
  console.log(`${`generated ${n}-layer model (${(text.length / 1024).toFixed(0)} KiB)`.padEnd(44)} ${String(r.layers).padStart(7)} ${fmt(r.median)} ${fmt(r.p95)} ${((r.median * 1000) / r.layers).toFixed(2).padStart(9)}`);
}
const k1 = results[1000] ?? 0;
const k10 = results[10000] ?? 0;
console.log(`\n1,000-layer file: ${k1.toFixed(2)} ms (target ≤ 5 ms: ${k1 <= 5 ? 'met' : 'NOT met'})`);
console.log(`growth 1k → 10k: ×${(k10 / k1).toFixed(2)} for ×10 layers (linear = ×10)`);
}
