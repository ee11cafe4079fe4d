import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, InlayHint } from 'vscode-languageserver-protocol';
import type { EpochLogs } from '../../language-server/src/training/loop.js';
import { runTuning, type TrialTrainer } from '../../language-server/src/tuning/runner.js';
import { LspClient } from './client.js';

const source = `model net(units = 8) {
  input mnist
  Flatten()
  Dense(units, activation=relu)
  Dense(4, activation=softmax)
}

tune net {
  dataset = mnist
  units in 8..64 step 8
  search = GridSearch()
  epochs = 2
}
`;

/** No TensorFlow: val_loss is lowest for 40 units, so the search's best point is known. */
const trainer: TrialTrainer = async (context) => {
  const units = Number(context.plan.point['units']);
  const history: EpochLogs[] = [];
  for (let epoch = context.plan.initialEpoch + 1; epoch <= context.config.epochs; epoch++) {
    const loss = (1 + Math.abs(units - 40) / 8) / epoch;
    history.push({ epoch, loss, accuracy: 0.5, val_loss: loss, val_accuracy: 0.5, learning_rate: 0.001, seconds: 0 });
  }
  return { history, stopReason: 'completed', params: context.evaluated.totals.params };
};

let client: LspClient;
let uri: string;

before(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-lsp-tune-'));
  const file = join(dir, 'net.model');
  writeFileSync(file, source);
  uri = pathToFileURL(file).href;
  client = await LspClient.start();
  await client.open(uri, source);
  // Before the search: no best values, no action.
  const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 7, character: 0 }, end: { line: 13, character: 0 } } });
  assert.deepEqual(hints.filter((h) => String(h.label).startsWith('best')), []);
  await runTuning({ file, text: source }, { trainTrial: trainer, onEvent: () => {} });
  await client.connection.sendNotification('layerlab/tuneResultsChanged');
});

after(() => client.stop());

test('after a search the server shows the best value next to the searched parameter', async () => {
  const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 7, character: 0 }, end: { line: 13, character: 0 } } });
  const best = hints.filter((h) => String(h.label).startsWith('best'));
  assert.deepEqual(
    best.map((h) => [h.position.line, h.label]),
    [[9, 'best: 40']],
  );
  assert.match(String(typeof best[0]?.tooltip === 'string' ? best[0].tooltip : best[0]?.tooltip?.value), /Best of 8 trials \(val_loss = 0\.5\)/);
});

test('"Apply best values" in the tune block writes the best point as the model default', async () => {
  const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 9, character: 3 }, end: { line: 9, character: 3 } }, context: { diagnostics: [] } });
  const apply = actions.find((a) => a.title.startsWith('Apply best values'));
  assert.equal(apply?.title, 'Apply best values (units=40)');
  assert.equal(apply?.kind, 'refactor.rewrite');
  assert.deepEqual(apply?.edit?.changes?.[uri], [{ range: { start: { line: 0, character: 18 }, end: { line: 0, character: 19 } }, newText: '40' }]);
  // Outside the tune block there is nothing to apply.
  const elsewhere = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 2, character: 3 }, end: { line: 2, character: 3 } }, context: { diagnostics: [] } });
  assert.equal(elsewhere.some((a) => a.title.startsWith('Apply best values')), false);
});
