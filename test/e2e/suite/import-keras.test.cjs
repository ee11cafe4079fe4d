// @ts-check
// Layerlab: Import Keras Model… on a .py file (as from the Explorer's context menu): a new
// untitled .model editor that the language server analyses with Keras's total.
const assert = require('node:assert/strict');
const { suite, test } = require('mocha');
const vscode = require('vscode');
const { fixtureUri, waitFor } = require('./helpers.cjs');

suite('Import Keras Model command', function () {
  this.timeout(60_000);

  test('a .py file becomes an untitled .model editor whose model the server analyses (34,826 params, as Keras prints)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('layerlab.importKeras', fixtureUri('keras_convnet.py'));
    const editor = await waitFor('the imported .model editor', () => {
      const active = vscode.window.activeTextEditor;
      return active && active.document.languageId === 'model' && active.document.isUntitled ? active : undefined;
    });
    const text = editor.document.getText();
    assert.match(text, /^model keras_convnet \{$/m);
    assert.match(text, /^ {2}Conv2D\(32, \(3, 3\), activation=relu\)$/m);
    const lenses = await waitFor('a code lens with the totals', async () => {
      /** @type {vscode.CodeLens[]} */
      const found = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', editor.document.uri, 10);
      return found.some((l) => /34,826/.test(l.command?.title ?? '')) ? found : undefined;
    }, 30_000);
    assert.ok(lenses.length > 0);
    const errors = vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.deepEqual(errors.map((d) => d.message), []);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
