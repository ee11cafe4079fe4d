// @ts-check
// Hover, inlay hints and diagnostics of test/e2e/workspace/cnn.model, read
// through the VS Code API, so they are what the editor would show.
const assert = require('node:assert/strict');
const { suite, suiteSetup, test } = require('mocha');
const vscode = require('vscode');
const { fixtureUri, hoverText, inlayHintLabel, openFixture, waitFor } = require('./helpers.cjs');

suite('language features in VS Code', () => {
  const uri = fixtureUri('cnn.model');

  suiteSetup(async () => {
    await openFixture('cnn.model');
  });

  test('hover on a layer: Keras output shape, parameters with their formula, multiply-adds', async () => {
    // Line 4 of the file: `  Conv2D(32, 3, activation=relu)`
    const text = await waitFor('a hover on Conv2D', async () => {
      /** @type {vscode.Hover[]} */
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, new vscode.Position(3, 4));
      return hovers.length > 0 ? hoverText(hovers) : undefined;
    });
    for (const line of [
      '**Conv2D** · `conv2d`',
      '**Output shape:** `(None, 26, 26, 32)`',
      '**Parameters:** 320 (all trainable)',
      // (3·3 kernel · 1 channel + 1 bias) · 32 filters
      '`(3·3·1 + 1)·32 = 320`',
      // 26·26 positions · 9 · 32
      '**Multiply-adds:** 194,688',
      '**Receptive field:** 3×3',
    ]) {
      assert.ok(text.includes(line), `hover lacks ${JSON.stringify(line)}:\n${text}`);
    }
  });

  test('inlay hints: shape and parameters after every layer, none after an error', async () => {
    const document = await vscode.workspace.openTextDocument(uri);
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const hints = await waitFor('inlay hints', async () => {
      /** @type {vscode.InlayHint[]} */
      const found = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', uri, whole);
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(
      hints.map((hint) => `${hint.position.line + 1}:${hint.position.character + 1} ${inlayHintLabel(hint)}`),
      [
        '3:20 → 28×28×1',
        '4:33 → 26×26×32 · 320 params',
        '5:18 → 13×13×32 · 0 params',
        // 13·13·32
        '6:12 → 5408 · 0 params',
        // (5408 + 1)·10
        '7:32 → 10 · 54,090 params',
        '11:13 → 4',
      ],
    );
  });

  test('diagnostics: the convolution after the spatial axes are gone, with its exact range', async () => {
    const diagnostics = await waitFor('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(uri);
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(
      diagnostics.map((d) => ({
        range: `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`,
        severity: vscode.DiagnosticSeverity[d.severity],
        source: d.source,
        code: d.code,
        message: d.message,
      })),
      [
        {
          range: '12:3-12:15',
          severity: 'Error',
          source: 'layerlab',
          code: 'rank',
          message:
            'Conv2D expects an input of rank 3 (height, width, channels) (batch axis not counted), but gets (4,); a Flatten or Dense before it removed the spatial axes — use `Reshape(...)` or move it earlier',
        },
      ],
    );
  });

  test('code lenses with default settings: totals, Summary, Graph and Train above a model, Tune on a tune block', async () => {
    const tiny = fixtureUri('tiny.model');
    await vscode.workspace.openTextDocument(tiny);
    const titles = await waitFor('the code lenses', async () => {
      /** @type {vscode.CodeLens[]} */
      const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', tiny, 10);
      const found = lenses.map((lens) => lens.command?.title ?? '');
      return found.includes('Train') && found.includes('Tune') ? found : undefined;
    });
    for (const title of ['Summary', 'Graph', 'Train', 'Tune']) assert.ok(titles.includes(title), `no ${title} lens: ${titles.join(' | ')}`);
    assert.ok(titles.some((t) => t.startsWith('12,730 params')), `the totals lens: ${titles.join(' | ')}`);
  });
});
