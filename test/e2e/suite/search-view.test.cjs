// @ts-check
// Tune Model runs the search of a tune block, opens the search view, and the
// editor then shows the best value after the searched parameter with the code
// action that writes it into the model. Trains for real on a slice of MNIST.
const assert = require('node:assert/strict');
const { rmSync } = require('node:fs');
const { join, dirname } = require('node:path');
const { suite, suiteSetup, test } = require('mocha');
const vscode = require('vscode');
const { inlayHintLabel, openFixture, snapshot, snapshotUrl, waitFor } = require('./helpers.cjs');

suite('search view', function () {
  this.timeout(180_000);
  /** @type {vscode.TextEditor} */
  let editor;

  suiteSetup(async function () {
    if (!snapshotUrl()) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    editor = await openFixture('tiny.model');
    // A search resumes where it stopped; this test wants a fresh one.
    rmSync(join(dirname(editor.document.uri.fsPath), '.layerlab', 'tune', 'tiny_tunable'), { recursive: true, force: true });
  });

  test('Tune Model searches, the view lists the trials, the editor offers the best values', async () => {
    const uri = editor.document.uri;
    await vscode.commands.executeCommand('layerlab.tune', uri.toString(), 'tiny_tunable', { limit: 600 });
    const api = vscode.extensions.getExtension('layerlab.layerlab')?.exports;
    const view = api.views().at(-1);
    assert.equal(view?.viewType, 'layerlab.search');
    assert.equal(view?.ids.length, 1, 'the finished search is loaded in the view');

    const rows = await snapshot({ name: 'search-view', selector: 'table.trials-table tbody tr', inWebview: true, timeoutMs: 20_000 });
    assert.equal(rows.texts.length, 2, `the two trials are listed (${rows.texts.join(' | ')})`);

    const text = editor.document.getText();
    const line = text.split('\n').findIndex((l) => l.includes('units      in [8, 32]'));
    const whole = new vscode.Range(0, 0, editor.document.lineCount, 0);
    const best = await waitFor('the best-value hint', async () => {
      /** @type {vscode.InlayHint[]} */
      const hints = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', uri, whole);
      return hints.find((hint) => hint.position.line === line && inlayHintLabel(hint).startsWith('best: '));
    });
    assert.match(inlayHintLabel(best), /^best: (8|32)$/);

    /** @type {vscode.CodeAction[]} */
    const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, new vscode.Range(line, 4, line, 4));
    const apply = actions.find((a) => a.title.startsWith('Apply best values'));
    assert.ok(apply?.edit, `an Apply best values action (${actions.map((a) => a.title).join(', ')})`);
    const value = inlayHintLabel(best).slice('best: '.length);
    assert.equal(apply.title, `Apply best values (units=${value})`);
    const edits = apply.edit.get(uri);
    assert.deepEqual(edits.map((e) => e.newText), [value]);
    assert.equal(editor.document.getText(edits[0]?.range), '16', 'the edit replaces the default of units');
  });
});
