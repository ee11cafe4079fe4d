/**
 * Requests over a whole document have budgets: an outline, tokens or hints past theirs are cut
 * short (and the log says so), a formatting past its budget is an error reply that changes
 * nothing, and the server goes on. Budgets are set small through `initializationOptions` so that
 * no test depends on the speed of the machine.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DocumentSymbol, InlayHint, LogMessageParams, SemanticTokens, TextEdit } from 'vscode-languageserver-protocol';
import { defaultRequestBudgets, requestBudgetsFrom } from '../../language-server/src/lsp/settings.js';
import { LspClient } from './client.js';

const uri = 'file:///budget.model';
const layers = Array.from({ length: 12 }, (_, i) => `  Dense(${i + 2})`).join('\n');
// Unformatted on purpose: `Dense( 2 )` gets edits from any formatter that runs.
const text = `model m {\n  input (4,)\n${layers}\n  Dense( 2 )\n}\n`;
const whole = { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } };

let small: LspClient;
let standard: LspClient;
const logged: string[] = [];

before(async () => {
  small = await LspClient.start({
    initializationOptions: {
      requestBudgets: {
        documentSymbol: { maxItems: 4 },
        semanticTokens: { milliseconds: 500, maxItems: 5 },
        inlayHint: { maxItems: 3 },
        formatting: { milliseconds: 0 },
      },
    },
  });
  small.connection.onNotification('window/logMessage', (params: LogMessageParams) => {
    logged.push(params.message);
  });
  standard = await LspClient.start();
  for (const client of [small, standard]) {
    await client.open(uri, text);
    await client.diagnosticsFor(uri, 1);
  }
});
after(async () => {
  await small.stop();
  await standard.stop();
});

const count = (symbols: readonly DocumentSymbol[]): number => symbols.reduce((n, s) => n + 1 + count(s.children ?? []), 0);

test('an outline past its item budget ends there, and the log says what was left out', async () => {
  const full = (await standard.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } })) ?? [];
  const cut = (await small.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } })) ?? [];
  assert.equal(count(full), 15, 'the model, its input and 13 layers');
  assert.equal(count(cut), 4);
  assert.deepEqual(cut[0]?.children?.map((s) => s.name), ['input', 'Dense', 'Dense']);
  assert.ok(logged.some((m) => /^Layerlab: documentSymbol of file:\/\/\/budget\.model stopped at 4 results after \d+ ms, its limit of 4 results/.test(m)), logged.join('\n'));
});

test('semantic tokens and inlay hints past their budgets are cut short; the first ones are kept', async () => {
  const tokens = await small.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
  const allTokens = await standard.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
  assert.equal(tokens.data.length, 5 * 5, 'five tokens of five numbers each');
  assert.deepEqual(tokens.data, allTokens.data.slice(0, 25));
  const hints = (await small.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: whole })) ?? [];
  const allHints = (await standard.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: whole })) ?? [];
  assert.ok(allHints.length > 3);
  assert.deepEqual(hints, allHints.slice(0, 3));
});

test('a formatting past its budget is an error reply that changes nothing; the server goes on', async () => {
  const options = { tabSize: 2, insertSpaces: true };
  const edits = await standard.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options });
  assert.ok(edits.length > 0, 'the same file formats within the default budget');
  await assert.rejects(small.request('textDocument/formatting', { textDocument: { uri }, options }), /^Error: Layerlab did not format this 0\.0 MB file: formatting stopped after \d+ ms, its budget is 0 ms\. Nothing was changed\.$/);
  const hover = await small.request('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 3 } });
  assert.ok(hover, 'the server still answers');
});

test('request budgets from initializationOptions: well-formed values are taken, the rest fall back to the defaults', () => {
  const budgets = requestBudgetsFrom({ documentSymbol: { milliseconds: 'fast', maxItems: 7 }, formatting: null, inlayHint: { milliseconds: -1 }, semanticTokens: { milliseconds: 20 } });
  assert.deepEqual(budgets.documentSymbol, { milliseconds: defaultRequestBudgets.documentSymbol.milliseconds, maxItems: 7 });
  assert.deepEqual(budgets.formatting, defaultRequestBudgets.formatting);
  assert.deepEqual(budgets.inlayHint, defaultRequestBudgets.inlayHint);
  assert.deepEqual(budgets.semanticTokens, { milliseconds: 20 });
  assert.deepEqual(requestBudgetsFrom(undefined), requestBudgetsFrom({}));
});
