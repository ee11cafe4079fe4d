// @ts-check
// The `Layerlab: Show Model Summary` command opens the Keras-style summary beside the file.
const assert = require('node:assert/strict');
const { suite, test } = require('mocha');
const vscode = require('vscode');
const { openFixture, waitFor } = require('./helpers.cjs');

const cnnSummary = [
  'Model: "cnn"',
  '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━┓',
  '┃ Layer (type)                 ┃ Output Shape       ┃ Param # ┃',
  '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━┩',
  '│ conv2d (Conv2D)              │ (None, 26, 26, 32) │     320 │',
  '├──────────────────────────────┼────────────────────┼─────────┤',
  '│ max_pooling2d (MaxPooling2D) │ (None, 13, 13, 32) │       0 │',
  '├──────────────────────────────┼────────────────────┼─────────┤',
  '│ flatten (Flatten)            │ (None, 5408)       │       0 │',
  '├──────────────────────────────┼────────────────────┼─────────┤',
  '│ dense (Dense)                │ (None, 10)         │  54,090 │',
  '└──────────────────────────────┴────────────────────┴─────────┘',
  // 54,410 float32 weights · 4 bytes
  ' Total params: 54,410 (212.54 KB)',
  ' Trainable params: 54,410 (212.54 KB)',
  ' Non-trainable params: 0 (0.00 B)',
].join('\n');

suite('Show Model Summary command', () => {
  test('opens the summary of every model of the file, the CNN first, in a read-only document', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const editor = await openFixture('cnn.model');
    editor.selection = new vscode.Selection(3, 4, 3, 4);
    await vscode.commands.executeCommand('layerlab.showSummary');
    const summary = await waitFor('the summary editor', () => {
      const active = vscode.window.activeTextEditor?.document;
      const summaryEditor = vscode.window.visibleTextEditors.find((e) => e.document.uri.scheme === 'layerlab-summary');
      return summaryEditor?.document;
    });
    // Read-only and never dirty: closing it asks nothing.
    assert.equal(summary.isDirty, false);
    assert.equal(summary.isUntitled, false);
    assert.match(summary.uri.path, /cnn summary$/);
    const text = summary.getText();
    assert.ok(text.startsWith(cnnSummary), `the summary does not start with the CNN's table:\n${text}`);
    assert.match(text, /Multiply-adds: 249K per sample \(498K FLOPs\)/);
    assert.match(text, /Model: "conv_after_flat"/);
  });
});
