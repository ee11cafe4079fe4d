/**
 * A seeded storm of malformed protocol messages to the real server over stdio: every request
 * method it advertises, its custom requests and the document notifications, with params that
 * are null, lack fields, have the wrong types, out-of-range positions or unknown URIs, and a
 * few valid documents in between. The server must never exit, must answer every request (a
 * result or a JSON-RPC error), and must still serve a valid document afterwards.
 *
 * Bounded by the number of messages; the per-request timeout is only there to turn a lost
 * reply into a failure instead of a hang.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspClient } from './client.js';
import { badPosition, documents, fuzzedRequests, fuzzMessage, openUris, Rng } from './fuzz-messages.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const entry = join(root, 'out/language-server/src/lsp/bin.js');

/** The capability that advertises each standard request. */
const capabilityOf: Record<string, string> = {
  'textDocument/hover': 'hoverProvider',
  'textDocument/completion': 'completionProvider',
  'textDocument/signatureHelp': 'signatureHelpProvider',
  'textDocument/definition': 'definitionProvider',
  'textDocument/references': 'referencesProvider',
  'textDocument/prepareRename': 'renameProvider',
  'textDocument/rename': 'renameProvider',
  'textDocument/documentSymbol': 'documentSymbolProvider',
  'textDocument/foldingRange': 'foldingRangeProvider',
  'textDocument/formatting': 'documentFormattingProvider',
  'textDocument/codeAction': 'codeActionProvider',
  'textDocument/codeLens': 'codeLensProvider',
  'textDocument/inlayHint': 'inlayHintProvider',
  'textDocument/semanticTokens/full': 'semanticTokensProvider',
  'workspace/executeCommand': 'executeCommandProvider',
};

const messageCount = 3_000;
/** Generous: a reply lost for good is what this catches, not a slow machine. */
const replyTimeoutMs = 30_000;

let client: LspClient;
let exit: { code: number | null; signal: string | null } | undefined;

before(async () => {
  client = await LspClient.start({ entry });
  client.process.on('exit', (code, signal) => {
    exit = { code, signal };
  });
});
after(async () => {
  if (!exit) await client.stop();
});

type Reply = { kind: 'result'; value: unknown } | { kind: 'error'; message: string } | { kind: 'lost' };

async function send(method: string, p: unknown): Promise<Reply> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const lost = new Promise<Reply>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'lost' }), replyTimeoutMs);
  });
  const answered = (p === undefined ? client.connection.sendRequest(method) : client.connection.sendRequest(method, p)).then(
    (value): Reply => ({ kind: 'result', value }),
    (error: unknown): Reply => ({ kind: 'error', message: error instanceof Error ? error.message : String(error) }),
  );
  try {
    return await Promise.race([answered, lost]);
  } finally {
    clearTimeout(timer);
  }
}

test('the fuzzed requests are the ones the server advertises', () => {
  for (const [method, capability] of Object.entries(capabilityOf)) {
    assert.ok(client.capabilities[capability], `${method}: ${capability} is advertised`);
    assert.ok((fuzzedRequests as readonly string[]).includes(method), `${method} is fuzzed`);
  }
  const advertised = Object.keys(client.capabilities).filter((k) => k.endsWith('Provider'));
  for (const capability of advertised) assert.ok(Object.values(capabilityOf).includes(capability), `${capability} is advertised but not fuzzed`);
});

test(`fuzz: ${messageCount} malformed requests and notifications; the server never exits and answers every request`, async () => {
  const r = new Rng(0x15_f022);
  let requests = 0;
  let notifications = 0;
  let errors = 0;
  const lost: string[] = [];
  const malformed: string[] = [];
  const stackTraces: string[] = [];
  let version = 1;
  // A few valid documents first, so that many requests reach the features.
  for (const [i, u] of openUris.entries()) await client.open(u, documents[i % documents.length] ?? '', version);
  for (let i = 0; i < messageCount; i++) {
    if (exit) break;
    version++;
    const { kind, method, params: p } = fuzzMessage(r, i, version);
    if (kind === 'notification') {
      await client.connection.sendNotification(method, p);
      notifications++;
      continue;
    }
    const reply = await send(method, p);
    requests++;
    if (reply.kind === 'lost') lost.push(`#${i} ${method} ${JSON.stringify(p)?.slice(0, 300)}`);
    else if (reply.kind === 'error') {
      errors++;
      if (process.env.LAYERLAB_FUZZ_PROFILE) console.log(`${method}: ${reply.message.slice(0, 200)}`);
      if (/\n\s+at .+:\d+:\d+/.test(reply.message)) stackTraces.push(`#${i} ${method}: ${reply.message.slice(0, 500)}`);
    } else {
      const bad = badPosition(reply.value, method);
      if (bad) malformed.push(`#${i} ${bad}; params ${JSON.stringify(p)?.slice(0, 300)}`);
    }
  }
  console.log(`lsp fuzz: ${requests} requests (${errors} answered with an error), ${notifications} notifications; ${lost.length} unanswered, ${malformed.length} with malformed positions; server ${exit ? `exited (${JSON.stringify(exit)})` : 'running'}`);
  assert.equal(exit, undefined, 'the server is still running');
  assert.deepEqual(lost, [], 'every request is answered');
  assert.deepEqual(malformed, [], 'replies hold whole-number positions');
  assert.deepEqual(stackTraces, [], 'no error reply carries a stack trace');
  assert.equal(requests + notifications, messageCount);
});

test('after the storm, a valid document gets diagnostics and a hover', async () => {
  assert.equal(exit, undefined, 'the server is still running');
  const uri = 'file:///fuzz/after.model';
  const published = client.diagnosticsFor(uri, 1);
  await client.open(uri, 'model m {\n  input (4,)\n  Dense(2)\n  Dense(3, activation=nope)\n}\n', 1);
  const { diagnostics } = await published;
  assert.equal(diagnostics.length, 1);
  assert.match(String(diagnostics[0]?.message), /nope/);
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } })) as Hover | null;
  assert.ok(hover, 'the server answers a hover');
  assert.match(JSON.stringify(hover.contents), /Dense/);
});
