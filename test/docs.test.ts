/**
 * The user documentation (README.md, CHANGELOG.md, docs/): its `.model` examples analyse without
 * errors with the real analyzer, the README's summary is what `layerlab summary` prints, the layer
 * list is the catalog's, the language and CLI references name every setting and flag the code has,
 * and every link resolves inside the repository.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeText } from '../language-server/src/analysis/analyze-file.js';
import { layerCatalog } from '../language-server/src/catalog/layers.js';
import { builtInDatasets, datasetConstructors } from '../language-server/src/catalog/datasets.js';
import { augmentation, callbacks, lossAliases, losses, metricNames, optimizers, searchStrategies, trainSettings } from '../language-server/src/catalog/training.js';
import { summaryTable } from '../language-server/src/features/summary-table.js';
import { exportUsage } from '../language-server/src/cli/export.js';
import { importUsage } from '../language-server/src/cli/import.js';
import { graphUsage } from '../language-server/src/cli/graph.js';
import { reportUsage } from '../language-server/src/cli/report.js';
import { trainUsage } from '../language-server/src/cli/train.js';
import { tuneUsage } from '../language-server/src/cli/tune.js';
import { backendPreferences } from '../language-server/src/protocol/trainer.js';
import { layersMarkdown } from '../scripts/docs-layers.js';

const root = join(fileURLToPath(import.meta.url), '../../..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

/** Every user-facing Markdown file: README, CHANGELOG and docs/. */
const documents = ['README.md', 'CHANGELOG.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

interface Block {
  readonly language: string;
  readonly code: string;
  readonly line: number;
}

function blocks(text: string): Block[] {
  return [...text.matchAll(/^```([^\n]*)\n([\s\S]*?)^```$/gm)].map((m) => ({ language: (m[1] ?? '').trim(), code: m[2] ?? '', line: text.slice(0, m.index).split('\n').length }));
}

function errorsOf(code: string): string[] {
  const analysis = analyzeText(code);
  return analysis.diagnostics.filter((d) => d.severity === 'error').map((d) => `${analysis.lines.positionAt(d.range.start).line + 1}: ${d.message}`);
}

/** The text outside code: fenced blocks and inline code removed. */
const prose = (text: string) => text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').replace(/`[^`\n]*`/g, '');

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[`*_[\]]/g, (c) => (c === '_' ? '_' : ''))
    .replace(/\]\([^)]*\)/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const m of text.replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '').matchAll(/^#{1,6}\s+(.+)$/gm)) {
    const base = slug(m[1] ?? '');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    result.add(n ? `${base}-${n}` : base);
  }
  return result;
}

test('every code block in the docs names its language, and every ```model block analyses without errors (each file\'s blocks together make one file)', () => {
  for (const doc of documents) {
    const all = blocks(read(doc));
    for (const b of all) assert.notEqual(b.language, '', `${doc}:${b.line}: a code block without a language (use \`\`\`model for .model code)`);
    const models = all.filter((b) => b.language === 'model');
    if (!models.length) continue;
    assert.deepEqual(errorsOf(models.map((b) => b.code).join('\n')), [], `${doc}: its \`\`\`model blocks have errors`);
  }
});

test('docs/language.md: its examples cover the language, and it names every setting, optimizer, loss, callback, data set and search strategy', () => {
  const text = read('docs/language.md');
  const models = blocks(text).filter((b) => b.language === 'model');
  assert.ok(models.length >= 10, `${models.length} examples found`);
  const code = models.map((b) => b.code).join('\n');
  const analysis = analyzeText(code);
  assert.ok(analysis.models.length >= 10, `${analysis.models.length} models in the examples`);
  for (const construct of [/^\s*\w+\s*=\s*input\b/m, /^\s*from\s+\w+/m, /\brepeat\s/, /\bif\s+\w+\s*\{/, /\bBidirectional\(LSTM\(/, /\bNone\b/, /^model\s+\w+\s*=\s*\w+\(/m, /^train\s/m, /^tune\s/m, /\bin\s+\[/, /\bstep\b/, /\blog\b/, /\bAdd\(/, /\bConcatenate\(/])
    assert.match(code, construct, `no example uses ${construct}`);
  const mentioned = (name: string, where: string) => assert.match(text, new RegExp(`\\b${name}\\b`), `docs/language.md does not mention ${where} ${name}`);
  for (const s of trainSettings) mentioned(s.name, 'the setting');
  for (const o of optimizers) mentioned(o.name, 'the optimizer');
  for (const l of losses) mentioned(l.name, 'the loss');
  for (const alias of lossAliases.keys()) mentioned(alias, 'the loss');
  for (const c of [...callbacks, augmentation, ...searchStrategies]) {
    mentioned(c.name, 'the object');
    for (const arg of Object.keys(c.args)) mentioned(arg, `the argument of ${c.name}`);
  }
  for (const d of [...builtInDatasets.keys(), ...datasetConstructors.keys()]) mentioned(d, 'the data set');
  for (const m of metricNames) mentioned(m, 'the metric');
  assert.ok(text.includes('(layers.md)'), 'docs/language.md links to the layer list');
});

test('docs/layers.md is what `npm run docs:layers` writes from the catalog, and lists every layer', () => {
  const text = read('docs/layers.md');
  assert.equal(text, layersMarkdown(), 'docs/layers.md is out of date: run `npm run docs:layers`');
  for (const name of layerCatalog.keys()) assert.ok(text.includes(`| \`${name}\` |`), `docs/layers.md lacks ${name}`);
});

test('docs/cli.md documents every command, every flag of their usage texts, the backends, exit codes and environment', () => {
  const text = read('docs/cli.md');
  for (const command of ['summary', 'train', 'tune', 'report', 'export', 'import', 'graph', 'lsp']) assert.match(text, new RegExp(`^## \`?(layerlab )?${command}\\b`, 'm'), `docs/cli.md has no section for ${command}`);
  const flags = (usage: string) => [...usage.matchAll(/--[a-z][a-z-]*/g)].map((m) => m[0]);
  for (const [command, usage] of [['train', trainUsage], ['tune', tuneUsage], ['report', reportUsage], ['export', exportUsage], ['import', importUsage], ['graph', graphUsage]] as const) {
    const section = text.split(/^## /m).find((s) => new RegExp(`^\`?(layerlab )?${command}\\b`).test(s)) ?? '';
    for (const flag of flags(usage)) assert.ok(section.includes(`\`${flag}`), `docs/cli.md's ${command} section does not document ${flag}`);
  }
  for (const flag of ['--model', '--json', '--stdio']) assert.ok(text.includes(flag), `docs/cli.md lacks ${flag}`);
  for (const backend of backendPreferences) assert.ok(text.includes(`\`${backend}\``), `docs/cli.md lacks the backend ${backend}`);
  for (const word of ['Exit status', 'LAYERLAB_CACHE', '.layerlab/runs/', '.layerlab/tune/']) assert.ok(text.includes(word), `docs/cli.md lacks ${word}`);
});

test('the README starts with the two commands that work on a fresh machine, and they are package.json scripts', () => {
  const text = read('README.md');
  const first = blocks(text)[0];
  assert.equal(first?.language, 'sh');
  assert.match(first?.code ?? '', /^npm ci && npm run demo\b/m);
  assert.match(first?.code ?? '', /^npm test\b/m);
  const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
  for (const m of text.matchAll(/npm run(?: -s)? ([a-z:]+)/g)) assert.ok(scripts[m[1] ?? ''], `README.md runs npm run ${m[1]}, which package.json lacks`);
  assert.ok(text.split('\n').length <= 200, `README.md has ${text.split('\n').length} lines; move detail to docs/`);
});

test('the README\'s summary output is what `layerlab summary` prints for its example', () => {
  const all = blocks(read('README.md'));
  const index = all.findIndex((b) => b.language === 'model');
  const model = all[index];
  const output = all[index + 1];
  assert.ok(model && output?.language === 'text', 'the README\'s first ```model block is followed by its summary in a ```text block');
  const analysis = analyzeText(model.code);
  const tables = analysis.models.map((m) => (m.evaluated ? summaryTable(m.evaluated) : ''));
  assert.ok(tables.length > 0);
  assert.ok(tables.some((t) => t.trim() === output.code.trim()), `README.md's summary differs from:\n${tables.join('\n\n')}`);
});

test('every relative link in README, CHANGELOG and docs/ resolves (file and #anchor), and none points outside the repository', () => {
  for (const doc of documents) {
    const text = read(doc);
    assert.ok(!/\.\.\/shared\b/.test(text), `${doc} refers to ../shared, which users do not have`);
    for (const m of prose(text).matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = m[1] ?? '';
      if (/^[a-z]+:/i.test(target)) continue;
      const [path = '', anchor] = target.split('#');
      const file = path ? join(dirname(join(root, doc)), path) : join(root, doc);
      assert.ok(!relative(root, file).startsWith('..'), `${doc} links outside the repository: ${target}`);
      assert.ok(existsSync(file), `${doc} links to ${target}, which does not exist`);
      if (anchor && file.endsWith('.md')) assert.ok(anchors(readFileSync(file, 'utf8')).has(anchor), `${doc} links to ${target}: no such heading (have ${[...anchors(readFileSync(file, 'utf8'))].join(', ')})`);
    }
  }
});
