// @ts-check
// What the workbench really draws: the driver screenshots the page (PNGs in
// the artifacts folder) and returns the text of the hover widget, the editor
// lines with their inlay hints and the status bar.
const assert = require('node:assert/strict');
const { suite, suiteSetup, test } = require('mocha');
const vscode = require('vscode');
const { openFixture, snapshot, snapshotUrl } = require('./helpers.cjs');

/** The DOM has no-break spaces and hint padding; compare words, not spacing. @param {string} text */
const words = (text) => text.replace(/\s+/g, ' ').trim();

suite('workbench UI (screenshots)', () => {
  /** @type {vscode.TextEditor} */
  let editor;

  suiteSetup(async function () {
    if (!snapshotUrl()) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    editor = await openFixture('cnn.model');
  });

  test('inlay hints are drawn after the layers', async () => {
    const { screenshot, texts } = await snapshot({ name: 'inlay-hints', selector: '.monaco-editor .view-line', expectText: '320 params' });
    const lines = texts.map(words);
    for (const expected of ['Conv2D(32, 3, activation=relu) → 26×26×32 · 320 params', 'Flatten() → 5408 · 0 params', 'Dense(10, activation=softmax) → 10 · 54,090 params']) {
      assert.ok(lines.some((line) => line.replace(/\)\s*→/, ') →').endsWith(expected)), `no editor line shows ${JSON.stringify(expected)} (${screenshot}):\n${lines.join('\n')}`);
    }
  });

  test('the status bar shows the totals of the model under the cursor', async () => {
    editor.selection = new vscode.Selection(3, 4, 3, 4);
    const { screenshot, texts } = await snapshot({ name: 'status-bar', selector: '.statusbar-item', expectText: 'cnn: 54,410 params' });
    assert.ok(texts.map(words).some((text) => text.includes('cnn: 54,410 params · 498K FLOPs')), `status bar (${screenshot}): ${texts.map(words).join(' | ')}`);
  });

  test('the hover on a layer is shown with its figures', async () => {
    editor.selection = new vscode.Selection(3, 4, 3, 4);
    await vscode.commands.executeCommand('editor.action.showHover');
    const { screenshot, texts } = await snapshot({ name: 'hover', selector: '.monaco-hover', expectText: 'Output shape' });
    const shown = words(texts.join('\n'));
    for (const expected of ['Conv2D · conv2d', 'Output shape: (None, 26, 26, 32)', 'Parameters: 320 (all trainable)', '(3·3·1 + 1)·32 = 320', 'Multiply-adds: 194,688']) {
      assert.ok(shown.includes(expected), `the hover lacks ${JSON.stringify(expected)} (${screenshot}):\n${shown}`);
    }
  });
});
