import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { CodeLens, CompletionList, Hover, InlayHint, SemanticTokens, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import type { ModelGraphResult } from '../../language-server/src/protocol/lsp-requests.js';
import { LspClient } from './client.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const sharedExamples = join(root, '..', 'shared', 'examples');
let client: LspClient;

before(async () => {
  client = await LspClient.start();
});
after(async () => {
  await client.stop();
});

const cnn = 'model m {\n  input (28, 28, 1)\n  Conv2D(32, 3, activation=relu)\n  MaxPooling2D(2)\n  Flatten()\n  Dense(10, activation=softmax)\n}\n';

test('initialize advertises the features', () => {
  const advertised = Object.keys(client.capabilities).filter((k) => client.capabilities[k]).sort();
  for (const feature of ['hoverProvider', 'completionProvider', 'signatureHelpProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'documentSymbolProvider', 'foldingRangeProvider', 'documentFormattingProvider', 'codeActionProvider', 'codeLensProvider', 'inlayHintProvider', 'semanticTokensProvider']) {
    assert.ok(advertised.includes(feature), `${feature} missing from ${advertised.join(', ')}`);
  }
});

test('diagnostics are published on open and after each change, for the newest version', async () => {
  const uri = 'file:///tmp/diag.model';
  await client.open(uri, cnn, 1);
  assert.deepEqual((await client.diagnosticsFor(uri, 1)).diagnostics, []);
  await client.change(uri, 2, cnn.replace('Conv2D', 'Conv2d'));
  await client.change(uri, 3, cnn.replace('Conv2D', 'Conv2e'));
  const latest = await client.diagnosticsFor(uri, 3);
  assert.equal(latest.version, 3);
  assert.equal(latest.diagnostics.length, 1);
  assert.match(String(latest.diagnostics[0]?.message), /unknown layer `Conv2e`; did you mean `Conv2D`/);
  assert.deepEqual(latest.diagnostics[0]?.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 8 } });
  // Never stale: nothing older than version 3 arrives after it.
  const all = client.publishedFor(uri);
  assert.equal(all[all.length - 1]?.version, 3);
});

test('hover, inlay hints, completion, code lens, semantic tokens and the summary request', async () => {
  const uri = 'file:///tmp/features.model';
  await client.open(uri, cnn);
  const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: { line: 2, character: 4 } });
  const value = typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
  assert.match(value, /`\(None, 26, 26, 32\)`/);
  assert.match(value, /`\(3·3·1 \+ 1\)·32 = 320`/);

  const hints = await client.request<InlayHint[]>('textDocument/inlayHint', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 7, character: 0 } } });
  assert.deepEqual(
    hints.map((h) => [h.position.line, h.label]),
    [
      [1, '→ 28×28×1'],
      [2, '→ 26×26×32 · 320 params'],
      [3, '→ 13×13×32 · 0 params'],
      [4, '→ 5408 · 0 params'],
      [5, '→ 10 · 54,090 params'],
    ],
  );

  const completion = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: { line: 2, character: 16 } });
  assert.ok(completion.items.some((i) => i.label === 'padding='));

  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.deepEqual(lenses.map((l) => l.command?.title), ['54,410 params · 498K FLOPs · 212.54 KB', 'Summary']);

  const tokens = await client.request<SemanticTokens>('textDocument/semanticTokens/full', { textDocument: { uri } });
  // m (type), Conv2D, activation, relu, MaxPooling2D, Flatten, Dense, activation, softmax: 9 tokens × 5 integers.
  assert.equal(tokens.data.length, 9 * 5);

  const summary = await client.request<string>('layerlab/summary', { uri });
  assert.match(summary, /Total params: 54,410/);
});

test('the Keras code request returns what Copy as Keras Code copies: the script, the model alone, or the first error', async () => {
  const uri = 'file:///tmp/project/keras.model';
  const text = `${cnn}model bare {\n  input (4,)\n  Dense(2)\n}\nmodel broken {\n  input (4,)\n  Dense(0)\n}\ntrain m {\n  dataset = idx("data/images", "data/labels")\n  epochs = 2\n}\n`;
  await client.open(uri, text);
  const script = await client.request<{ code: string; kind: string }>('layerlab/kerasCode', { uri, position: { line: 2, character: 4 } });
  assert.equal(script.kind, 'script');
  assert.match(script.code, /^# m, exported by Layerlab from keras\.model: the model, its data and its training/);
  assert.match(script.code, /\nmodel\.fit\(\n/);
  // Copied into a notebook, the data paths point at the .model file's folder.
  assert.match(script.code, /\nMODEL_FOLDER = "\/tmp\/project"\n/);
  const bare = await client.request<{ code: string; kind: string }>('layerlab/kerasCode', { uri, model: 'bare' });
  assert.equal(bare.kind, 'model');
  assert.match(bare.code, /model = build_bare\(\)\nmodel\.summary\(\)\n$/);
  const broken = await client.request<{ error: string }>('layerlab/kerasCode', { uri, model: 'broken' });
  assert.match(broken.error, /^line 14: .*units.*; fix it to export `broken`$/);
  assert.equal(await client.request<unknown>('layerlab/kerasCode', { uri, model: 'nope' }), null);
});

test('the model graph request: the model named, or the one at the cursor, with the names of all; null for a file not open', async () => {
  const uri = 'file:///tmp/graph.model';
  await client.open(uri, `${cnn}model n {\n  input (4,)\n  Dense(2)\n}\n`);
  const byName = await client.request<ModelGraphResult>('layerlab/modelGraph', { uri, model: 'm' });
  assert.deepEqual(byName.models, ['m', 'n']);
  assert.equal(byName.graph?.model, 'm');
  assert.deepEqual(byName.graph?.nodes.map((n) => [n.type, n.shapeText, n.params]), [
    ['Input', '28×28×1', 0],
    ['Conv2D', '26×26×32', 320],
    ['MaxPooling2D', '13×13×32', 0],
    ['Flatten', '5408', 0],
    ['Dense', '10', 54090],
  ]);
  assert.equal(byName.graph?.edges.length, 4);
  const atCursor = await client.request<ModelGraphResult>('layerlab/modelGraph', { uri, position: { line: 9, character: 3 } });
  assert.equal(atCursor.graph?.model, 'n');
  assert.equal((await client.request<ModelGraphResult>('layerlab/modelGraph', { uri, model: 'nope' })).graph, null);
  assert.equal(await client.request<ModelGraphResult | null>('layerlab/modelGraph', { uri: 'file:///tmp/not-open.model' }), null);
  const bad = await client.request<unknown>('layerlab/modelGraph', { uri, position: { line: -1 } }).catch((e: Error) => e.message);
  assert.match(String(bad), /position needs line and character as whole numbers/);
});

test('rename and formatting return edits', async () => {
  const uri = 'file:///tmp/edit.model';
  await client.open(uri, 'model m {\n    input (4,)\n  skip=Dense(4)\n  Dense(4)\n  Add( skip )\n}\n');
  const rename = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: { line: 2, character: 3 }, newName: 'shortcut' });
  assert.deepEqual(rename.changes?.[uri]?.map((e) => [e.range.start.line, e.newText]), [
    [2, 'shortcut'],
    [4, 'shortcut'],
  ]);
  const edits = await client.request<TextEdit[]>('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
  assert.ok(edits.length > 0);
  const bad = await client.request<unknown>('textDocument/rename', { textDocument: { uri }, position: { line: 2, character: 3 }, newName: 'model' }).catch((e: Error) => e.message);
  assert.match(String(bad), /keyword/);
});

test('the shared examples: exact figures and the expected diagnostics', { skip: !existsSync(sharedExamples) && 'no ../shared/examples' }, async () => {
  const files = readdirSync(sharedExamples).filter((f) => f.endsWith('.model'));
  for (const file of files) {
    const uri = pathToFileURL(join(sharedExamples, file)).href;
    await client.open(uri, readFileSync(join(sharedExamples, file), 'utf8'));
    const published = await client.diagnosticsFor(uri, 1);
    const errors = published.diagnostics.filter((d) => d.severity === 1);
    if (file === 'mistakes.model') {
      assert.deepEqual(
        published.diagnostics.map((d) => [d.range.start.line + 1, d.severity]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)),
        [
          [8, 2],
          [14, 1],
          [23, 2],
        ],
      );
    } else assert.deepEqual(errors, [], file);
  }
  const improved = pathToFileURL(join(sharedExamples, 'fashion_improved.model')).href;
  const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: improved } });
  const titles = lenses.map((l) => l.command?.title ?? '');
  assert.ok(titles.some((t) => t.startsWith('437,610 params (1,152 non-trainable)')), titles.join('\n'));
});

test('a client that can train (initializationOptions.trainAvailable) gets Train and Tune lenses with default settings', async () => {
  const trainer = await LspClient.start({ initializationOptions: { trainAvailable: true } });
  try {
    const uri = 'file:///tmp/lenses.model';
    const text = 'model m(units = 32) {\n  input mnist\n  Flatten()\n  Dense(units, activation=relu)\n  Dense(10, activation=softmax)\n}\n\ntrain m {\n  dataset = mnist\n}\n\ntune m {\n  dataset = mnist\n  units in [16, 32]\n}\n';
    await trainer.open(uri, text);
    await trainer.diagnosticsFor(uri, 1);
    // After the server has read the client's settings (which hold no training switch).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const titles = (await trainer.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).map((l) => l.command?.title);
    assert.ok(titles.includes('Train'), titles.join(' | '));
    assert.ok(titles.includes('Tune'), titles.join(' | '));
  } finally {
    await trainer.stop();
  }
});
