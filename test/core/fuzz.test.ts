/**
 * A seeded fuzz of `analyzeText` and of the protocol-free features (hover, completion,
 * signature help, inlay hints, outline, folding, semantic tokens, formatting, code actions,
 * code lenses, navigation, rename, summaries) over the classes of input of issue 15's probe:
 * sizes, nesting, encodings, and mutations of examples/*.model.
 *
 * Bounded by the number of cases, not by time; every case comes from its own seed, so a
 * failure names the case and `LAYERLAB_FUZZ_CASE=<name>` reruns that one alone (it prints the input).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeText, MAX_ANALYSED_LENGTH, type FileAnalysis } from '../../language-server/src/analysis/analyze-file.js';
import type { Range } from '../../language-server/src/syntax/ast.js';
import { codeActions } from '../../language-server/src/features/code-actions.js';
import { codeLenses } from '../../language-server/src/features/code-lens.js';
import { complete } from '../../language-server/src/features/completion.js';
import { formatText } from '../../language-server/src/features/formatting.js';
import { hover } from '../../language-server/src/features/hover.js';
import { inlayHints } from '../../language-server/src/features/inlay-hints.js';
import { kerasCode } from '../../language-server/src/features/keras-code.js';
import { kerasScript } from '../../language-server/src/features/keras-script.js';
import { modelAt, modelTotals } from '../../language-server/src/features/model-at.js';
import { modelSummaryMarkdown } from '../../language-server/src/features/model-summary.js';
import { definition, prepareRename, references, rename } from '../../language-server/src/features/navigation.js';
import { foldingRanges, outline, type OutlineItem } from '../../language-server/src/features/outline.js';
import { semanticTokens, semanticTokenTypes } from '../../language-server/src/features/semantic-tokens.js';
import { signatureHelp } from '../../language-server/src/features/signature-help.js';
import { summaryJson } from '../../language-server/src/features/summary-json.js';
import { summaryTable } from '../../language-server/src/features/summary-table.js';
import { seededRandom } from '../../language-server/src/common/random.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
}

/** A seed per case name, so that adding a case does not change the others. */
function seedOf(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

interface Case {
  readonly name: string;
  readonly text: string;
}

// ---------------------------------------------------------------------------
// Inputs

const examples: readonly string[] = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.model'))
  .sort()
  .map((f) => readFileSync(join(root, 'examples', f), 'utf8'));
assert.ok(examples.length > 0, 'examples/*.model exist');
const example = (i: number): string => examples[i % examples.length] ?? '';

const smallModel = 'model m(units = 8) {\n  input (4,)\n  Dense(units, activation=relu)\n  Dense(2)\n}\n';
const singleChars = ['a', ' ', '\n', '\r', '\t', '(', ')', '{', '}', '[', ']', '=', ',', '.', '#', '"', "'", '0', '-', '\u0000', '\ufeff', '\ud800', '\u00e9', 'm'];

function sizeCases(): Case[] {
  const cases: Case[] = [{ name: 'size/empty', text: '' }];
  for (const [i, c] of singleChars.entries()) cases.push({ name: `size/char-${i}`, text: c });
  const lineLengths = [1_000, 10_000, 50_000];
  for (const n of lineLengths) {
    cases.push({ name: `size/long-comment-${n}`, text: `# ${'x'.repeat(n)}\n${smallModel}` });
    cases.push({ name: `size/long-layer-line-${n}`, text: `model m {\n  input (4,)\n  ${'Dense(2) '.repeat(Math.ceil(n / 9))}\n}\n` });
    cases.push({ name: `size/long-args-${n}`, text: `model m {\n  input (4,)\n  Dense(${'1, '.repeat(Math.ceil(n / 3))}2)\n}\n` });
    cases.push({ name: `size/long-identifier-${n}`, text: smallModel.replace(/units/g, 'u'.repeat(n)).replace('model m', `model ${'m'.repeat(n)}`) });
    cases.push({ name: `size/long-number-${n}`, text: `model m {\n  input (4,)\n  Dense(${'9'.repeat(n)})\n}\n` });
    cases.push({ name: `size/long-string-${n}`, text: `model m {\n  input (4,)\n  Dense(2, name="${'s'.repeat(n)}")\n}\n` });
  }
  for (const n of [1_000, 10_000]) {
    cases.push({ name: `size/many-layers-${n}`, text: `model m {\n  input (4,)\n${'  Dense(4)\n'.repeat(n)}}\n` });
    cases.push({ name: `size/many-blank-lines-${n}`, text: '\n'.repeat(n) + smallModel + '\n'.repeat(n) });
    cases.push({ name: `size/many-models-${n / 100}`, text: Array.from({ length: n / 100 }, (_, i) => smallModel.replace('model m', `model m${i}`)).join('\n') });
  }
  cases.push({ name: 'size/many-settings-150000', text: `${smallModel}train m {\n${'  epochs = 1\n'.repeat(150_000)}}\n` });
  // The examples over and over (duplicate names, many train blocks): about 1 MB of the first, 100 kB of the others
  // (a tune block multiplies the cost of analysis).
  for (const [i, e] of examples.entries()) cases.push({ name: `size/repeated-example-${i}`, text: e.repeat(Math.ceil((i === 0 ? 1_000_000 : 50_000) / e.length)) });
  return cases;
}

function nestingCases(): Case[] {
  const cases: Case[] = [];
  const wrap = (body: string) => `model m {\n  input (4,)\n${body}\n}\n`;
  for (const n of [10, 63, 64, 65, 200, 20_000]) {
    cases.push({ name: `nest/parens-${n}`, text: wrap(`  Dense(${'('.repeat(n)}1${')'.repeat(n)})`) });
    cases.push({ name: `nest/parens-open-${n}`, text: wrap(`  Dense(${'('.repeat(n)}1`) });
    cases.push({ name: `nest/parens-close-${n}`, text: wrap(`  Dense(1${')'.repeat(n)}`) });
    cases.push({ name: `nest/brackets-${n}`, text: wrap(`  Dense(${'['.repeat(n)}1${']'.repeat(n)})`) });
    cases.push({ name: `nest/tuples-${n}`, text: wrap(`  Reshape(${'(1, '.repeat(n)}1${')'.repeat(n)})`) });
    cases.push({ name: `nest/mixed-${n}`, text: wrap(`  Dense(${'([{'.repeat(n)}1${'}])'.repeat(n)})`) });
    cases.push({ name: `nest/repeat-${n}`, text: wrap(`${'  repeat 1 {\n'.repeat(n)}  Dense(2)\n${'  }\n'.repeat(n)}`) });
    cases.push({ name: `nest/repeat-unclosed-${n}`, text: wrap(`${'  repeat 2 {\n'.repeat(n)}  Dense(2)\n`) });
    cases.push({ name: `nest/if-${n}`, text: wrap(`${'  if true {\n'.repeat(n)}  Dense(2)\n${'  }\n'.repeat(n)}`) });
    cases.push({ name: `nest/braces-top-${n}`, text: '{'.repeat(n) + '}'.repeat(n) });
    cases.push({ name: `nest/unary-minus-${n}`, text: wrap(`  Dense(${'-'.repeat(n)}2)`) });
  }
  for (const n of [100, 100_000]) {
    cases.push({ name: `nest/plus-chain-${n}`, text: wrap(`  Dense(${Array(n).fill('1').join('+')})`) });
    cases.push({ name: `nest/mixed-chain-${n}`, text: wrap(`  Dense(${Array.from({ length: n }, (_, i) => String((i % 7) + 1)).join(['*', '+', '-', '//', '/'][n % 5] ?? '+')})`) });
    cases.push({ name: `nest/default-chain-${n}`, text: `model m(k = ${Array(n).fill('1').join(' + ')}) {\n  input (4,)\n  Dense(k)\n}\n` });
    cases.push({ name: `nest/dangling-operator-${n}`, text: wrap(`  Dense(${'1+'.repeat(n)})`) });
  }
  for (const n of [10, 300, 1_000]) {
    let chain = 'model v0(units = 4) {\n  input (4,)\n  Dense(units)\n}\n';
    for (let i = 1; i < n; i++) chain += `model v${i} = v${i - 1}(units = ${(i % 5) + 1})\n`;
    cases.push({ name: `nest/variant-chain-${n}`, text: chain });
    let backwards = '';
    for (let i = n - 1; i > 0; i--) backwards += `model w${i} = w${i - 1}()\n`;
    cases.push({ name: `nest/variant-chain-backwards-${n}`, text: backwards + 'model w0 {\n  input (4,)\n  Dense(2)\n}\n' });
    let cycle = '';
    for (let i = 0; i < n; i++) cycle += `model c${i} = c${(i + 1) % n}()\n`;
    cases.push({ name: `nest/variant-cycle-${n}`, text: cycle });
    cases.push({ name: `nest/label-chain-${n}`, text: wrap(Array.from({ length: n }, (_, i) => `  l${i} = Dense(2)\n  from l${i}`).join('\n')) });
  }
  let backwards = '';
  for (let i = 9_999; i > 0; i--) backwards += `model w${i} = w${i - 1}()\n`;
  cases.push({ name: 'nest/variant-chain-backwards-10000', text: backwards + 'model w0 {\n  input (4,)\n  Dense(2)\n}\n' });
  return cases;
}

function randomBytes(r: Rng, n: number): Buffer {
  const bytes = Buffer.alloc(n);
  for (let i = 0; i < n; i++) bytes[i] = r.int(0, 255);
  return bytes;
}

function encodingCases(): Case[] {
  const cases: Case[] = [];
  for (const [i, e] of examples.entries()) {
    cases.push({ name: `enc/bom-${i}`, text: '\ufeff' + e });
    cases.push({ name: `enc/double-bom-${i}`, text: '\ufeff\ufeff' + e });
    cases.push({ name: `enc/bom-inside-${i}`, text: e.replace(/\n/g, '\n\ufeff') });
    cases.push({ name: `enc/crlf-${i}`, text: e.replace(/\n/g, '\r\n') });
    cases.push({ name: `enc/cr-${i}`, text: e.replace(/\n/g, '\r') });
    cases.push({ name: `enc/mixed-line-ends-${i}`, text: e.split('\n').map((l, j) => l + ['\n', '\r\n', '\r', '\u2028', '\u0085'][j % 5]).join('') });
    cases.push({ name: `enc/nul-everywhere-${i}`, text: e.split('').join('\u0000') });
    cases.push({ name: `enc/nul-lines-${i}`, text: e.replace(/\n/g, '\u0000\n') });
    cases.push({ name: `enc/lone-surrogates-${i}`, text: e.replace(/ /g, (_, k: number) => (k % 3 === 0 ? '\ud800' : k % 3 === 1 ? '\udfff' : ' ')) });
    cases.push({ name: `enc/tabs-${i}`, text: e.replace(/ {2}/g, '\t') });
    cases.push({ name: `enc/latin1-of-utf8-${i}`, text: Buffer.from('\ufeff' + e.replace(/mnist/g, 'mnïst'), 'utf8').toString('latin1') });
    cases.push({ name: `enc/utf16le-as-utf8-${i}`, text: Buffer.from(e, 'utf16le').toString('utf8') });
  }
  const names = ['λ', 'größe', '中文', 'é', 'e\u0301', '😀', 'x\u200b', 'а' /* Cyrillic */, '\ud800x', 'x\udc00'];
  for (const [i, n] of names.entries()) {
    cases.push({ name: `enc/identifier-${i}`, text: `model ${n}(${n}u = 4) {\n  input (4,)\n  ${n}l = Dense(${n}u)\n  from ${n}l\n}\ntrain ${n} { dataset = mnist }\n` });
    cases.push({ name: `enc/string-${i}`, text: `model m {\n  input (4,)\n  Dense(2, name="${n}")\n}\n` });
    cases.push({ name: `enc/comment-${i}`, text: `# ${n.repeat(50)}\n${smallModel}` });
  }
  for (let i = 0; i < 40; i++) {
    const r = new Rng(seedOf(`enc/random-${i}`));
    const n = r.pick([1, 2, 3, 16, 200, 4_096, 16_384]);
    const bytes = randomBytes(r, n);
    cases.push({ name: `enc/random-utf8-${i}`, text: bytes.toString('utf8') });
    cases.push({ name: `enc/random-latin1-${i}`, text: bytes.toString('latin1') });
    cases.push({ name: `enc/random-utf16-${i}`, text: bytes.toString('utf16le') });
    const at = r.int(0, example(i).length);
    cases.push({ name: `enc/example-with-random-bytes-${i}`, text: example(i).slice(0, at) + bytes.subarray(0, 64).toString(r.chance(0.5) ? 'utf8' : 'latin1') + example(i).slice(at) });
  }
  const r = new Rng(seedOf('enc/random-1MB'));
  cases.push({ name: 'enc/random-1MB-utf8', text: randomBytes(r, 1_000_000).toString('utf8') });
  cases.push({ name: 'enc/random-200kB-latin1', text: randomBytes(r, 200_000).toString('latin1') });
  return cases;
}

const tokenPattern = /\s+|#[^\r\n]*|[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\.|\/\/|"[^"\r\n]*"|[\s\S]/g;
const insertions = ['(', ')', '{', '}', '[', ']', '=', ',', '..', 'model', 'repeat', 'if', 'from', 'input', 'train', 'tune', 'in', 'step', 'Dense(', 'Conv2D(3, 3)', '\n', '\r\n', '#', '"', '\u0000', '\ufeff', '\ud800', '-', '1e309', '0', '-1', '999999999999', 'mnist', 'None', '}\n}\n'];

function mutate(r: Rng, text: string): string {
  let t = text;
  const operations = r.int(1, 8);
  for (let k = 0; k < operations; k++) {
    const a = r.int(0, t.length);
    const b = Math.min(t.length, a + r.int(0, r.pick([1, 5, 40, 400])));
    switch (r.int(0, 4)) {
      case 0: // delete a span
        t = t.slice(0, a) + t.slice(b);
        break;
      case 1: // insert something
        t = t.slice(0, a) + r.pick(insertions) + t.slice(a);
        break;
      case 2: {
        // duplicate a span somewhere
        const at = r.int(0, t.length);
        t = t.slice(0, at) + t.slice(a, b) + t.slice(at);
        break;
      }
      case 3: {
        // swap two tokens
        const tokens = t.match(tokenPattern) ?? [];
        if (tokens.length < 2) break;
        const i = r.int(0, tokens.length - 1);
        const j = r.int(0, tokens.length - 1);
        const ti = tokens[i] ?? '';
        tokens[i] = tokens[j] ?? '';
        tokens[j] = ti;
        t = tokens.join('');
        break;
      }
      default: {
        // replace a token by a token from elsewhere
        const tokens = t.match(tokenPattern) ?? [];
        if (tokens.length === 0) break;
        tokens[r.int(0, tokens.length - 1)] = r.pick(tokens);
        t = tokens.join('');
      }
    }
  }
  return t;
}

const mutationCount = 300;

function mutationCases(): Case[] {
  const cases: Case[] = [];
  for (let i = 0; i < mutationCount; i++) {
    const name = `mutation/${i}`;
    const r = new Rng(seedOf(name));
    cases.push({ name, text: mutate(r, example(i)) });
  }
  return cases;
}

// ---------------------------------------------------------------------------
// Invariants

const severities = new Set(['error', 'warning', 'information', 'hint']);

function inText(range: Range, text: string, what: string): void {
  assert.ok(Number.isInteger(range.start) && Number.isInteger(range.end), `${what}: offsets are integers (${range.start}..${range.end})`);
  assert.ok(range.start >= 0 && range.start <= range.end && range.end <= text.length, `${what}: ${range.start}..${range.end} lies within the text (length ${text.length})`);
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function diagnosticsKey(analysis: FileAnalysis): string {
  return JSON.stringify(analysis.diagnostics.map((d) => [d.severity, d.code, d.message, d.range.start, d.range.end, d.replacements ?? null]));
}

function checkAnalysis(text: string, analysis: FileAnalysis): void {
  if (text.length > MAX_ANALYSED_LENGTH) {
    assert.equal(analysis.diagnostics.length, 1, 'a file too large to analyse gets one diagnostic');
    assert.match(analysis.diagnostics[0]?.message ?? '', /^too large to analyse/);
    return;
  }
  assert.equal(analysis.text, text, 'the analysis keeps the text');
  for (const d of analysis.diagnostics) {
    inText(d.range, text, `diagnostic "${d.message}"`);
    assert.ok(severities.has(d.severity), `severity ${d.severity}`);
    assert.ok(isNonEmptyString(d.message), 'a diagnostic has a message');
    assert.doesNotMatch(d.message, /internal error|\[object Object\]|\bundefined\b|\bNaN\b/, `message: ${d.message}`);
    for (const replacement of d.replacements ?? []) assert.equal(typeof replacement, 'string');
    const start = analysis.lines.positionAt(d.range.start);
    assert.ok(Number.isInteger(start.line) && Number.isInteger(start.character) && start.line >= 0 && start.character >= 0, 'positions are whole numbers');
    assert.equal(analysis.lines.offsetAt(start), d.range.start, 'offset → position → offset is the identity');
  }
}

function checkOutline(items: readonly OutlineItem[], text: string, depth: number): void {
  assert.ok(depth < 10_000, 'outline depth is bounded');
  for (const item of items) {
    assert.equal(typeof item.name, 'string');
    assert.equal(typeof item.detail, 'string');
    inText(item.range, text, `outline item ${item.name}`);
    inText(item.selection, text, `outline selection ${item.name}`);
    checkOutline(item.children, text, depth + 1);
  }
}

interface Edit {
  readonly range: Range;
  readonly newText: string;
}

function checkEdits(edits: readonly Edit[], text: string, what: string): void {
  const sorted = [...edits].sort((a, b) => a.range.start - b.range.start);
  let last = -1;
  for (const e of sorted) {
    inText(e.range, text, what);
    assert.equal(typeof e.newText, 'string', `${what}: newText is a string`);
    assert.ok(e.range.start >= last, `${what}: edits do not overlap`);
    last = e.range.end;
  }
}

function applyEdits(text: string, edits: readonly Edit[]): string {
  const pieces: string[] = [];
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.range.start - b.range.start)) {
    pieces.push(text.slice(at, e.range.start), e.newText);
    at = e.range.end;
  }
  pieces.push(text.slice(at));
  return pieces.join('');
}

/** Offsets to ask features at: the ends, the first diagnostic, and random places; `count` in all. */
function probeOffsets(r: Rng, analysis: FileAnalysis, count: number): number[] {
  const n = analysis.text.length;
  const first = analysis.diagnostics[0];
  const offsets = new Set([r.int(0, n), ...(first ? [first.range.start] : []), 0, n]);
  while (offsets.size < Math.min(count, n + 1)) offsets.add(r.int(0, n));
  return [...offsets].slice(0, count);
}

function checkFeatures(r: Rng, analysis: FileAnalysis, offsetCount: number): void {
  const text = analysis.text;
  const whole = { start: 0, end: text.length };

  for (const offset of probeOffsets(r, analysis, offsetCount)) {
    const h = hover(analysis, offset);
    if (h) {
      assert.ok(isNonEmptyString(h.contents), 'a hover has contents');
      inText(h.range, text, 'hover range');
    }
    const completion = complete(analysis, offset, r.chance(0.3) ? undefined : r.pick(['(', ',', '=', ' ']));
    inText(completion.replace, text, 'completion replace range');
    for (const item of completion.items) {
      assert.ok(isNonEmptyString(item.label), 'a completion item has a label');
      assert.equal(typeof item.insertText, 'string');
    }
    const help = signatureHelp(analysis, offset);
    if (help) {
      assert.ok(isNonEmptyString(help.label));
      assert.ok(Number.isInteger(help.activeParameter), 'activeParameter is an integer');
      for (const p of help.parameters) assert.ok(p.label[0] >= 0 && p.label[0] <= p.label[1] && p.label[1] <= help.label.length, 'a parameter label lies within the signature');
    }
    for (const range of definition(analysis, offset)) inText(range, text, 'definition');
    for (const range of references(analysis, offset, r.chance(0.5))) inText(range, text, 'reference');
    const prepared = prepareRename(analysis, offset);
    if (prepared) {
      inText(prepared.range, text, 'prepareRename range');
      assert.equal(typeof prepared.placeholder, 'string');
    }
    const renamed = rename(analysis, offset, r.pick(['renamed', 'x', '', '1bad', 'model', 'λ', 'a b']));
    if ('edits' in renamed) checkEdits(renamed.edits, text, 'rename');
    else assert.ok(isNonEmptyString(renamed.error), 'a refused rename says why');
    const model = modelAt(analysis, offset);
    if (model) {
      const totals = modelTotals(model, analysis);
      if (totals) assert.doesNotMatch(JSON.stringify(totals), /null|NaN/, 'model totals are numbers');
    }
    const a = r.int(0, text.length);
    const b = r.int(a, Math.min(text.length, a + 200));
    for (const action of codeActions(analysis, { start: a, end: b })) {
      assert.ok(isNonEmptyString(action.title), 'a code action has a title');
      checkEdits(action.edits, text, `code action ${action.title}`);
      assert.ok(analysis.diagnostics.includes(action.diagnostic), 'a code action fixes a diagnostic of the analysis');
    }
  }

  for (const hint of inlayHints(analysis, whole, { shapes: r.chance(0.8), parameters: r.chance(0.8) })) {
    assert.ok(Number.isInteger(hint.offset) && hint.offset >= 0 && hint.offset <= text.length, `inlay hint offset ${hint.offset}`);
    assert.ok(isNonEmptyString(hint.label), 'an inlay hint has a label');
  }
  const partial = { start: r.int(0, text.length), end: text.length };
  for (const hint of inlayHints(analysis, partial)) assert.ok(hint.offset >= 0 && hint.offset <= text.length);

  checkOutline(outline(analysis), text, 0);
  const lineCount = analysis.lines.lineCount;
  for (const f of foldingRanges(analysis)) {
    assert.ok(Number.isInteger(f.startLine) && Number.isInteger(f.endLine) && f.startLine >= 0 && f.startLine <= f.endLine && f.endLine < lineCount, `folding range ${f.startLine}..${f.endLine} of ${lineCount} lines`);
  }

  let previousEnd = 0;
  for (const token of semanticTokens(analysis)) {
    inText(token.range, text, 'semantic token');
    assert.ok(token.range.end > token.range.start, 'a semantic token is not empty');
    assert.ok(token.range.start >= previousEnd, 'semantic tokens are in order and do not overlap');
    assert.ok(semanticTokenTypes.includes(token.type), `token type ${token.type}`);
    assert.ok(!/[\r\n]/.test(text.slice(token.range.start, token.range.end)), 'a semantic token lies on one line');
    previousEnd = token.range.end;
  }

  for (const lens of codeLenses(analysis, 'file:///fuzz.model', { trainAvailable: r.chance(0.5) })) {
    inText(lens.range, text, 'code lens');
    assert.ok(isNonEmptyString(lens.title), 'a code lens has a title');
  }

  const options = { tabSize: r.pick([1, 2, 4, 8]), insertSpaces: r.chance(0.7) };
  const edits = formatText(text, options);
  if (edits) {
    checkEdits(edits, text, 'formatting');
    const formatted = applyEdits(text, edits);
    const again = formatText(formatted, options);
    assert.ok(again !== undefined, 'formatting does not introduce a syntax error');
    assert.equal(applyEdits(formatted, again), formatted, 'formatting a formatted text changes nothing');
  }

  for (const model of analysis.models) {
    assert.equal(typeof kerasCode(analysis, model), 'string');
    const script = kerasScript(analysis, model);
    if (script.kind === 'error') assert.ok(isNonEmptyString(script.message) && script.line >= 1, 'an export refusal says why, with a line');
    else assert.ok(script.code.includes(`model = build_`), 'an export builds the model');
    assert.ok(isNonEmptyString(modelSummaryMarkdown(analysis, model)));
    if (model.evaluated) assert.ok(isNonEmptyString(summaryTable(model.evaluated)));
  }
  const json = summaryJson('fuzz.model', analysis);
  const parsed = JSON.parse(JSON.stringify(json)) as { diagnostics: { line: number; column: number }[] };
  for (const d of parsed.diagnostics) assert.ok(Number.isInteger(d.line) && d.line >= 1 && Number.isInteger(d.column) && d.column >= 1, `summary --json position ${d.line}:${d.column}`);
}

/** Runs one case; returns how long it took (only reported, never asserted). */
function runCase(c: Case): number {
  const started = performance.now();
  const r = new Rng(seedOf(c.name));
  const first = analyzeText(c.text);
  checkAnalysis(c.text, first);
  const second = analyzeText(c.text);
  assert.equal(diagnosticsKey(second), diagnosticsKey(first), 'the same input analysed twice gives the same diagnostics');
  // Large inputs: fewer offsets, since each feature call may walk the whole file.
  checkFeatures(r, first, c.text.length > 100_000 ? 2 : c.text.length > 10_000 ? 4 : 6);
  return performance.now() - started;
}

function runAll(group: string, cases: readonly Case[]): void {
  const only = process.env.LAYERLAB_FUZZ_CASE;
  const started = performance.now();
  let run = 0;
  const slowest: { name: string; ms: number }[] = [];
  for (const c of cases) {
    if (only !== undefined && c.name !== only) continue;
    if (only !== undefined) console.log(`${c.name}: ${JSON.stringify(c.text.length > 2000 ? c.text.slice(0, 2000) + '…' : c.text)}`);
    try {
      const ms = Math.round(runCase(c));
      if (process.env.LAYERLAB_FUZZ_PROFILE) console.log(`${c.name}: ${ms} ms`);
      slowest.push({ name: c.name, ms });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      assert.fail(`fuzz case ${c.name} (rerun it alone with LAYERLAB_FUZZ_CASE=${c.name}): ${message}`);
    }
    run++;
  }
  slowest.sort((a, b) => b.ms - a.ms);
  console.log(`fuzz ${group}: ${run} cases, ${((performance.now() - started) / 1000).toFixed(1)} s; slowest ${slowest.slice(0, 3).map((s) => `${s.name} ${s.ms} ms`).join(', ')}`);
  if (only === undefined) assert.equal(run, cases.length);
}

test('fuzz: sizes (empty, one character, long lines, long names, many lines, about 1 MB)', () => runAll('sizes', sizeCases()));
test('fuzz: nesting (brackets, repeat and if blocks, operator chains, variant chains)', () => runAll('nesting', nestingCases()));
test('fuzz: encodings (BOM, NUL, lone surrogates, CR and CRLF, non-ASCII names, random bytes)', () => runAll('encodings', encodingCases()));
test(`fuzz: ${mutationCount} mutations of examples/*.model (deleted, inserted, duplicated spans, swapped tokens)`, () => runAll('mutations', mutationCases()));
