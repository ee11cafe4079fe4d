/**
 * Seeded malformed LSP messages, shared by test/lsp/fuzz.test.ts and scripts/probe.ts: requests
 * the server advertises and its own, notifications, with params that are null, lack fields, have
 * wrong types, out-of-range positions or unknown URIs, and valid documents in between.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../language-server/src/common/random.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

/** Requests of the protocol the server advertises (checked against `initialize` below), and its own. */
export const fuzzedRequests = [
  'textDocument/hover',
  'textDocument/completion',
  'textDocument/signatureHelp',
  'textDocument/definition',
  'textDocument/references',
  'textDocument/prepareRename',
  'textDocument/rename',
  'textDocument/documentSymbol',
  'textDocument/foldingRange',
  'textDocument/formatting',
  'textDocument/codeAction',
  'textDocument/codeLens',
  'textDocument/inlayHint',
  'textDocument/semanticTokens/full',
  'workspace/executeCommand',
  'layerlab/summary',
  'layerlab/modelAt',
  'layerlab/kerasCode',
  'layerlab/modelGraph',
  'layerlab/noSuchRequest',
] as const;

export const fuzzedNotifications = [
  'textDocument/didOpen',
  'textDocument/didChange',
  'textDocument/didClose',
  'workspace/didChangeConfiguration',
  'layerlab/tuneResultsChanged',
  '$/cancelRequest',
  'layerlab/noSuchNotification',
] as const;

export class Rng {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** Some lists hold `undefined` on purpose (a field left out). */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }
}

const examples = readdirSync(join(root, 'examples'))
  .filter((f) => f.endsWith('.model'))
  .sort()
  .map((f) => readFileSync(join(root, 'examples', f), 'utf8'));
export const documents = [...examples, 'model m {\n  input (4,)\n  Dense(2)\n}\n', '', '\ufeffmodel m {\r\n  input (4,)\r\n  Dense(\u0000)\r\n}', 'model m {\n  input (4,)\n' + '  Dense(' + '('.repeat(100)];
export const openUris = ['file:///fuzz/a.model', 'file:///fuzz/b.model', 'file:///fuzz/c.model'];
const strangeUris = ['file:///fuzz/unknown.model', 'untitled:Untitled-1', '', 'file:///%zz', 'file:///fuzz/' + 'x'.repeat(5000) + '.model', 'not a uri', 'file:///fuzz/a.model?query#fragment'];

/** A JSON value of the wrong kind, or a strange one of the right kind. */
function junk(r: Rng, depth = 0): unknown {
  switch (r.int(0, 11)) {
    case 0:
      return null;
    case 1:
      return r.pick([0, -1, 1.5, -0.5, 2 ** 31, 2 ** 53, 1e308, -1e308]);
    case 2:
      return r.pick(['', 'x', 'file:///fuzz/a.model', '\u0000', '\ud800', 'é'.repeat(100)]);
    case 3:
      return r.pick([true, false]);
    case 4:
      return [];
    case 5:
      return depth < 3 ? [junk(r, depth + 1), junk(r, depth + 1)] : [1];
    case 6:
      return {};
    case 7:
      return depth < 3 ? { uri: junk(r, depth + 1), line: junk(r, depth + 1), text: junk(r, depth + 1) } : { a: 1 };
    case 8:
      return { __proto__: 1, constructor: 'x', toString: null };
    case 9: {
      // Deep nesting: the server's JSON parser and handlers must cope.
      let v: unknown = 1;
      for (let i = 0; i < 2000; i++) v = [v];
      return v;
    }
    case 10:
      return position(r);
    default:
      return undefined;
  }
}

function coordinate(r: Rng): unknown {
  return r.pick([0, 1, 2, 5, 30, -1, -100, 1.5, 0.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, 1e308, '3', null, true, [], {}]);
}

function position(r: Rng): unknown {
  if (r.chance(0.4)) return { line: r.int(0, 40), character: r.int(0, 40) };
  return { line: coordinate(r), character: coordinate(r) };
}

function range(r: Rng): unknown {
  if (r.chance(0.1)) return junk(r);
  return { start: position(r), end: position(r) };
}

function uri(r: Rng): unknown {
  if (r.chance(0.6)) return r.pick(openUris);
  if (r.chance(0.8)) return r.pick(strangeUris);
  return junk(r);
}

function textDocument(r: Rng): unknown {
  if (r.chance(0.1)) return junk(r);
  return { uri: uri(r) };
}

/** Well-formed params for `method`, before they are damaged. */
function params(r: Rng, method: string): Record<string, unknown> {
  const at = { textDocument: textDocument(r), position: position(r) };
  switch (method) {
    case 'textDocument/completion':
      return { ...at, context: r.chance(0.5) ? { triggerKind: r.pick([1, 2, 3, 99, null]), triggerCharacter: r.pick(['(', ',', '=', ' ', '', null, 5]) } : junk(r) };
    case 'textDocument/signatureHelp':
      return { ...at, context: junk(r) };
    case 'textDocument/references':
      return { ...at, context: r.chance(0.7) ? { includeDeclaration: r.pick([true, false, null, 'yes']) } : junk(r) };
    case 'textDocument/rename':
      return { ...at, newName: r.pick(['renamed', '', 'model', '1x', 'a b', '\u0000', null, 5, ['x'], {}]) };
    case 'textDocument/formatting':
      return { textDocument: textDocument(r), options: r.chance(0.7) ? { tabSize: r.pick([2, 4, 0, -1, 1.5, 1e9, null, 'x']), insertSpaces: r.pick([true, false, null, 1]) } : junk(r) };
    case 'textDocument/codeAction':
      return { textDocument: textDocument(r), range: range(r), context: r.chance(0.5) ? { diagnostics: r.chance(0.5) ? [] : junk(r), only: junk(r) } : junk(r) };
    case 'textDocument/inlayHint':
      return { textDocument: textDocument(r), range: range(r) };
    case 'textDocument/documentSymbol':
    case 'textDocument/foldingRange':
    case 'textDocument/codeLens':
    case 'textDocument/semanticTokens/full':
      return { textDocument: textDocument(r) };
    case 'workspace/executeCommand':
      return { command: r.pick(['layerlab.showSummary', 'layerlab.showModelGraph', 'layerlab.train', 'layerlab.tune', 'nope', '', null, 5]), arguments: r.chance(0.6) ? [uri(r), r.pick(['m', 'mnist_cnn', '', null, 3])] : junk(r) };
    case 'layerlab/summary':
      return { uri: uri(r), model: r.pick([undefined, 'mnist_cnn', 'nope', null, 5, []]) };
    case 'layerlab/modelAt':
      return { uri: uri(r), position: position(r) };
    case 'layerlab/kerasCode':
    case 'layerlab/modelGraph':
      return { uri: uri(r), position: r.chance(0.5) ? position(r) : undefined, model: r.pick([undefined, 'mnist_cnn', 'nope', null, 5]) };
    default:
      return at;
  }
}

/** Damages params: replaced whole, or fields dropped or given wrong types. */
function damage(r: Rng, value: Record<string, unknown>): unknown {
  if (r.chance(0.12)) return junk(r);
  if (r.chance(0.05)) return undefined;
  const out: Record<string, unknown> = { ...value };
  for (const key of Object.keys(out)) {
    if (r.chance(0.15)) delete out[key];
    else if (r.chance(0.15)) out[key] = junk(r);
  }
  return out;
}

function notification(r: Rng, method: string, version: number): unknown {
  switch (method) {
    case 'textDocument/didOpen':
      return damage(r, { textDocument: damage(r, { uri: uri(r), languageId: r.pick(['model', 'plaintext', null, 5]), version: r.pick([version, -1, 1.5, null, '1', 2 ** 53]), text: r.chance(0.8) ? r.pick(documents) : junk(r) }) });
    case 'textDocument/didChange': {
      const change = r.chance(0.5) ? { text: r.pick(documents) } : { range: range(r), text: r.pick(['', 'x', '\n', ')', '\r\n', '\ufeff', 'Dense(', null]) };
      return damage(r, { textDocument: damage(r, { uri: uri(r), version: r.pick([version, version, -1, 0.5, null]) }), contentChanges: r.chance(0.8) ? [damage(r, change)] : junk(r) });
    }
    case 'textDocument/didClose':
      return damage(r, { textDocument: textDocument(r) });
    case 'workspace/didChangeConfiguration':
      return damage(r, { settings: junk(r) });
    case '$/cancelRequest':
      return damage(r, { id: r.pick([1, -1, 'x', null, 1e15]) });
    default:
      return junk(r);
  }
}

/**
 * The first `line`/`character` in a reply that is not a whole number from 0, if any: nothing computed
 * from a bad position may leak out as NaN (null in JSON) or a negative.
 */
export function badPosition(value: unknown, path: string, depth = 0): string | undefined {
  if (depth > 50 || value === null || typeof value !== 'object') return undefined;
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [`[${i}]`, v]) : Object.entries(value).map(([k, v]) => [`.${k}`, v]);
  const record = value as Record<string, unknown>;
  if (!Array.isArray(value) && 'line' in record && 'character' in record) {
    for (const key of ['line', 'character']) {
      const n = record[key];
      if (!(typeof n === 'number' && Number.isInteger(n) && n >= 0)) return `${path}.${key} is ${JSON.stringify(n)}`;
    }
  }
  for (const [key, v] of entries) {
    const bad = badPosition(v, path + key, depth + 1);
    if (bad) return bad;
  }
  return undefined;
}

export type FuzzMessage = { readonly kind: 'request' | 'notification'; readonly method: string; readonly params: unknown };

/** Message `index` of a storm: every 50th opens a valid document; else a damaged notification (30%) or request. */
export function fuzzMessage(r: Rng, index: number, version: number): FuzzMessage {
  if (index % 50 === 0) return { kind: 'notification', method: 'textDocument/didOpen', params: { textDocument: { uri: r.pick(openUris), languageId: 'model', version, text: r.pick(documents) } } };
  if (r.chance(0.3)) {
    const method = r.pick(fuzzedNotifications);
    return { kind: 'notification', method, params: notification(r, method, version) };
  }
  const method = r.pick(fuzzedRequests);
  return { kind: 'request', method, params: damage(r, params(r, method)) };
}
