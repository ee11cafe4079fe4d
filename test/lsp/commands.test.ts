import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CodeLens, CompletionList, ShowMessageParams, SignatureHelp } from 'vscode-languageserver-protocol';
import { LspClient } from './client.js';

// The server compiled alongside this test (out/ or another output folder), so the test checks the code it was built with.
const entry = join(fileURLToPath(import.meta.url), '../../../language-server/src/lsp/bin.js');

const text =
  'model m(units = 32) {\n  input mnist\n  Flatten()\n  Dense(units, activation=relu)\n  Dense(10, activation=softmax)\n}\n\ntrain m {\n  dataset = mnist\n}\n\ntune m {\n  dataset = mnist\n  units in [16, 32]\n}\n';

/** Neovim, Helix, Emacs…: no Layerlab extension, so no initializationOptions. */
let plain: LspClient;
const messages: ShowMessageParams[] = [];

before(async () => {
  plain = await LspClient.start({ entry });
  plain.connection.onNotification('window/showMessage', (params: ShowMessageParams) => {
    messages.push(params);
  });
});
after(async () => {
  await plain.stop();
});

const advertised = (client: LspClient): string[] => (client.capabilities.executeCommandProvider as { commands?: string[] } | undefined)?.commands ?? [];

test('a client without the VS Code extension gets only lenses whose commands the server runs, and they all succeed', async () => {
  const uri = 'file:///tmp/commands.model';
  await plain.open(uri, text);
  await plain.diagnosticsFor(uri, 1);
  const lenses = await plain.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const titles = lenses.map((l) => l.command?.title);
  assert.ok(titles.includes('Summary') && !titles.includes('Train') && !titles.includes('Tune'), titles.join(' | '));
  const commands = lenses.filter((l) => l.command?.command);
  assert.ok(commands.length > 0);
  for (const lens of commands) {
    const command = lens.command!;
    assert.ok(advertised(plain).includes(command.command), `${command.command} is not in executeCommandProvider (${advertised(plain).join(', ')})`);
    const result = await plain.request<string>('workspace/executeCommand', { command: command.command, arguments: command.arguments });
    // mnist flattened: 784 inputs; Dense (784 + 1)·32 = 25,120, then (32 + 1)·10 = 330
    assert.match(result, /Total params: 25,450/);
  }
  // The summary reaches the user as a message (what Neovim's client shows).
  const summary = messages.find((m) => m.message.includes('Total params: 25,450'));
  assert.ok(summary, messages.map((m) => m.message).join('\n---\n'));
  assert.match(summary.message, /Model: "m"/);
});

test('executeCommand explains what it cannot run instead of failing as an unknown method', async () => {
  const uri = 'file:///tmp/commands.model';
  const train = await plain.request<unknown>('workspace/executeCommand', { command: 'layerlab.train', arguments: [uri, 'm'] }).catch((e: Error) => e.message);
  assert.match(String(train), /VS Code extension; from a terminal: layerlab train FILE --model NAME/);
  const graph = await plain.request<unknown>('workspace/executeCommand', { command: 'layerlab.showModelGraph', arguments: [uri, 'm'] }).catch((e: Error) => e.message);
  assert.match(String(graph), /VS Code extension; from a terminal: layerlab graph FILE --model NAME --out graph\.svg/);
  const missing = await plain.request<unknown>('workspace/executeCommand', { command: 'layerlab.showSummary', arguments: ['file:///tmp/not-open.model'] }).catch((e: Error) => e.message);
  assert.match(String(missing), /is not open/);
});

test("the VS Code extension's own commands are not advertised to it (its client would register them a second time)", async () => {
  const extension = await LspClient.start({ entry, initializationOptions: { trainAvailable: true } });
  try {
    for (const id of ['layerlab.showSummary', 'layerlab.showModelGraph', 'layerlab.train', 'layerlab.tune']) assert.ok(!advertised(extension).includes(id), `${id} advertised to the extension`);
    const uri = 'file:///tmp/extension.model';
    await extension.open(uri, text);
    await extension.diagnosticsFor(uri, 1);
    const ids = (await extension.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).map((l) => l.command?.command).filter(Boolean);
    assert.deepEqual([...new Set(ids)].sort(), ['layerlab.showModelGraph', 'layerlab.showSummary', 'layerlab.train', 'layerlab.tune']);
  } finally {
    await extension.stop();
  }
});

test('nor in Restricted Mode, where it cannot train (trainAvailable false, clientCommands true): Summary and Graph lenses only', async () => {
  const restricted = await LspClient.start({ entry, initializationOptions: { trainAvailable: false, clientCommands: true } });
  try {
    assert.deepEqual(advertised(restricted), []);
    const uri = 'file:///tmp/restricted.model';
    await restricted.open(uri, text);
    await restricted.diagnosticsFor(uri, 1);
    const ids = (await restricted.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).map((l) => l.command?.command).filter(Boolean);
    assert.deepEqual([...new Set(ids)], ['layerlab.showSummary', 'layerlab.showModelGraph']);
  } finally {
    await restricted.stop();
  }
});

test('typing ( in a call brings signature help and no completion list; asking for completion lists the arguments', async () => {
  const uri = 'file:///tmp/signature.model';
  const source = 'model m {\n  input (28, 28, 1)\n  Conv2D(\n}\n';
  await plain.open(uri, source);
  await plain.diagnosticsFor(uri, 1);
  const position = { line: 2, character: 9 };
  const typed = await plain.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position, context: { triggerKind: 2, triggerCharacter: '(' } });
  assert.deepEqual(typed.items, []);
  const help = await plain.request<SignatureHelp>('textDocument/signatureHelp', { textDocument: { uri }, position, context: { triggerKind: 2, triggerCharacter: '(', isRetrigger: false } });
  assert.match(help.signatures[0]?.label ?? '', /^Conv2D\(filters, kernel_size/);
  const invoked = await plain.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position, context: { triggerKind: 1 } });
  assert.ok(invoked.items.some((i) => i.label === 'padding='));
});
