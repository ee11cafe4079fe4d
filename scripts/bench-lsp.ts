// The language server over stdio with a real JSON-RPC client, on a generated
// 1,000-layer file: didChange → published diagnostics, hover and inlay-hint
// latency (median and 95th percentile), server memory with 50 open files, and
// didChange → diagnostics on 10,000 layers with its growth from 1,000.
// Usage: node out/scripts/bench-lsp.js
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { MAX_ANALYSED_LENGTH } from '../language-server/src/analysis/analyze-file.js';
import { defaultRequestBudgets } from '../language-server/src/lsp/settings.js';
import { LspClient } from '../test/lsp/client.js';
import { generatedModel } from './bench.js';

interface Stats {
  median: number;
  mean: number;
  p95: number;
}

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { median: at(0.5), mean: samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length), p95: at(0.95) };
}

function rssMiB(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

const line = (name: string, s: Stats, target: number) =>
  console.log(`${name.padEnd(34)} median ${s.median.toFixed(2).padStart(7)} ms   p95 ${s.p95.toFixed(2).padStart(7)} ms   (target p95 ≤ ${target} ms: ${s.p95 <= target ? 'met' : 'NOT met'})`);

/**
 * didChange → diagnostics on a generated model of `layers` layers: edits a number in the middle
 * of the file, alternating so every version differs. Returns the times after `warmup` edits.
 */
async function editTimes(client: LspClient, layers: number, edits: number, warmup: number): Promise<{ uri: string; text: string; times: number[] }> {
  const text = generatedModel(layers);
  const uri = `file:///bench/generated-${layers}.model`;
  await client.open(uri, text, 1);
  await client.diagnosticsFor(uri, 1);
  const times: number[] = [];
  const position = text.indexOf('Conv2D(8', text.length / 2) + 'Conv2D('.length;
  for (let version = 2; version < 2 + warmup + edits; version++) {
    const edited = text.slice(0, position) + (version % 2 ? '9' : '8') + text.slice(position + 1);
    const started = performance.now();
    await client.change(uri, version, edited);
    await client.diagnosticsFor(uri, version);
    if (version >= 2 + warmup) times.push(performance.now() - started);
  }
  return { uri, text, times };
}

async function main(): Promise<void> {
  // With Node's defaults, as VS Code starts it, so that its memory is what users see.
  const client = await LspClient.start();
  const { uri, text, times: changeTimes } = await editTimes(client, 1000, 50, 10);

  const lines = text.split('\n');
  const hoverTimes: number[] = [];
  const hintTimes: number[] = [];
  for (let i = 0; i < 220; i++) {
    const lineNumber = 2 + ((i * 37) % 990);
    const character = (lines[lineNumber]?.indexOf('(') ?? 3) - 2;
    let started = performance.now();
    await client.request('textDocument/hover', { textDocument: { uri }, position: { line: lineNumber, character: Math.max(2, character) } });
    if (i >= 20) hoverTimes.push(performance.now() - started);
    // A viewport of 60 lines, as an editor asks for.
    started = performance.now();
    await client.request('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: lineNumber, character: 0 }, end: { line: lineNumber + 60, character: 0 } } });
    if (i >= 20) hintTimes.push(performance.now() - started);
  }

  const before = rssMiB(client.process.pid);
  for (let i = 0; i < 50; i++) {
    const other = `file:///bench/open-${i}.model`;
    await client.open(other, generatedModel(200 + i * 16), 1);
    await client.diagnosticsFor(other, 1);
  }
  const after = rssMiB(client.process.pid);

  // The same edit on 10,000 layers, closed before the memory is read again.
  const large = await editTimes(client, 10000, 30, 10);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri: large.uri } });

  console.log('language server over stdio (Node defaults), generated 1,000-layer file');
  line('didChange → published diagnostics', stats(changeTimes), 20);
  line('hover', stats(hoverTimes), 5);
  line('inlay hints (60-line viewport)', stats(hintTimes), 5);
  console.log(`server memory (RSS): ${before.toFixed(0)} MiB with 1 file, ${after.toFixed(0)} MiB with 51 files (50 more of 200–984 layers)`);
  const small = stats(changeTimes);
  const big = stats(large.times);
  console.log(
    `didChange → diagnostics on 10,000 layers: median ${big.median.toFixed(1)} ms, mean ${big.mean.toFixed(1)} ms, p95 ${big.p95.toFixed(1)} ms; ` +
      `growth from 1,000: ×${(big.median / small.median).toFixed(2)} by median, ×${(big.mean / small.mean).toFixed(2)} by mean (linear = ×10)`,
  );
  await largestFile(client);
  await client.stop();
}

/**
 * The largest file the server analyses, filled with 1,000-layer models: how long opening it and
 * each whole-document request take, and which requests their budgets cut short.
 */
async function largestFile(client: LspClient): Promise<void> {
  const model = generatedModel(1000);
  let text = '';
  for (let i = 0; text.length + model.length <= MAX_ANALYSED_LENGTH; i++) text += model.replace('model generated', `model generated${i}`);
  const uri = 'file:///bench/largest.model';
  let started = performance.now();
  await client.open(uri, text, 1);
  await client.diagnosticsFor(uri, 1);
  const opened = performance.now() - started;
  const lineCount = text.split('\n').length;
  console.log(`largest file analysed (${(text.length / (1024 * 1024)).toFixed(2)} MiB, ${lineCount.toLocaleString('en-US')} lines): didOpen → diagnostics ${opened.toFixed(0)} ms`);
  const requests: [string, string, object, (result: unknown) => string][] = [
    ['documentSymbol', 'textDocument/documentSymbol', {}, (r) => `${(r as { children?: unknown[] }[]).reduce((n, m) => n + 1 + (m.children?.length ?? 0), 0).toLocaleString('en-US')} symbols`],
    ['semantic tokens', 'textDocument/semanticTokens/full', {}, (r) => `${((r as { data: number[] }).data.length / 5).toLocaleString('en-US')} tokens`],
    ['inlay hints (whole file)', 'textDocument/inlayHint', { range: { start: { line: 0, character: 0 }, end: { line: lineCount, character: 0 } } }, (r) => `${(r as unknown[]).length.toLocaleString('en-US')} hints`],
    ['folding ranges', 'textDocument/foldingRange', {}, (r) => `${(r as unknown[]).length.toLocaleString('en-US')} ranges`],
    ['formatting', 'textDocument/formatting', { options: { tabSize: 2, insertSpaces: true } }, (r) => `${(r as unknown[] | null)?.length ?? 0} edits`],
  ];
  for (const [name, method, params, describe] of requests) {
    started = performance.now();
    let outcome: string;
    try {
      outcome = describe(await client.request(method, { textDocument: { uri }, ...params }));
    } catch (error) {
      outcome = `refused: ${error instanceof Error ? error.message : String(error)}`;
    }
    console.log(`  ${name.padEnd(26)} ${(performance.now() - started).toFixed(0).padStart(6)} ms   ${outcome}`);
  }
  console.log(`  (budgets per request: ${Object.entries(defaultRequestBudgets).map(([k, v]) => `${k} ${v.milliseconds} ms${'maxItems' in v ? `, ${v.maxItems.toLocaleString('en-US')} results` : ''}`).join('; ')})`);
  await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
}

await main();
