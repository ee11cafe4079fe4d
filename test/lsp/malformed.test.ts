/**
 * What a careless or hostile client sends must not take the server down: malformed
 * notifications are dropped with a log line, malformed requests get error replies,
 * and the server goes on serving the documents it has.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { MAX_ANALYSED_LENGTH } from '../../language-server/src/analysis/analyze-file.js';
import { LspClient } from './client.js';

const entry = join(fileURLToPath(import.meta.url), '../../../language-server/src/lsp/bin.js');
const good = 'file:///good.model';
let client: LspClient;
let exited = false;

before(async () => {
  client = await LspClient.start({ entry });
  client.process.on('exit', () => {
    exited = true;
  });
  await client.open(good, 'model m {\n  input (4,)\n  Dense(2)\n}\n');
});
after(async () => {
  if (!exited) await client.stop();
});

/** The server still answers: a hover on the good document. */
async function stillServing(): Promise<void> {
  const hover = (await client.connection.sendRequest('textDocument/hover', { textDocument: { uri: good }, position: { line: 2, character: 3 } })) as Hover | null;
  assert.ok(hover, 'the server answers a hover');
  assert.equal(exited, false, 'the server is running');
}

test('didOpen whose text is null, missing or a list, and a didChange without changes, are dropped; the server goes on', async () => {
  for (const text of [null, undefined, ['a', 'b'], 42]) {
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///bad.model', languageId: 'model', version: 1, text } });
  }
  await client.connection.sendNotification('textDocument/didOpen', { textDocument: null });
  await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: good, version: 2 }, contentChanges: null });
  await client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: good, version: 2 }, contentChanges: [{ text: null }] });
  await new Promise((resolve) => setTimeout(resolve, 300));
  await stillServing();
});

test('rename with newName null is an error reply, not an edit with null text', async () => {
  await assert.rejects(client.connection.sendRequest('textDocument/rename', { textDocument: { uri: good }, position: { line: 0, character: 6 }, newName: null }), /newName, a string/);
  await stillServing();
});

test('requests with a missing position or document are error replies', async () => {
  await assert.rejects(client.connection.sendRequest('textDocument/hover', { textDocument: { uri: good }, position: null }));
  await assert.rejects(client.connection.sendRequest('textDocument/completion', { textDocument: null, position: { line: 0, character: 0 } }));
  await stillServing();
});

test('a document larger than Layerlab analyses gets one diagnostic; formatting and hints touch nothing; the server goes on', async () => {
  const uri = 'file:///huge.model';
  const model = 'model m {\n  input (4,)\n  Dense(2)\n}\n';
  const published = client.diagnosticsFor(uri, 1);
  await client.open(uri, model.repeat(Math.ceil((MAX_ANALYSED_LENGTH + 1) / model.length)));
  const { diagnostics } = await published;
  assert.equal(diagnostics.length, 1);
  assert.match(String(diagnostics[0]?.message ?? ''), /^too large to analyse/);
  const edits = (await client.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as unknown[] | null;
  assert.ok(edits === null || edits.length === 0, 'no edit to a file that was not analysed');
  const hints = (await client.connection.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 200000, character: 0 } } })) as unknown[] | null;
  assert.ok(hints === null || hints.length === 0);
  await stillServing();
});

test('malformed params get InvalidParams replies that say what is missing, not JavaScript errors', async () => {
  const cases: [string, unknown, RegExp][] = [
    ['textDocument/hover', {}, /^textDocument\/hover needs textDocument\.uri, a string$/],
    ['textDocument/documentSymbol', { textDocument: { uri: 42 } }, /^textDocument\/documentSymbol needs textDocument\.uri, a string$/],
    ['textDocument/definition', { textDocument: { uri: good }, position: { line: 1.5, character: 0 } }, /needs position, with line and character as whole numbers from 0$/],
    ['textDocument/inlayHint', { textDocument: { uri: good }, range: { start: { line: 0, character: 0 } } }, /needs range/],
    ['workspace/executeCommand', { command: 42 }, /^workspace\/executeCommand needs command, a string$/],
    ['layerlab/modelAt', { uri: good }, /^layerlab\/modelAt needs position/],
    ['layerlab/summary', {}, /^layerlab\/summary needs uri, a string$/],
  ];
  for (const [method, params, message] of cases) {
    await assert.rejects(client.connection.sendRequest(method, params), (error: { code?: number; message?: string }) => {
      assert.equal(error.code, -32602, `${method}: InvalidParams`);
      assert.match(error.message ?? '', message, method);
      return true;
    });
  }
  await stillServing();
});
