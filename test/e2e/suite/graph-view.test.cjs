// @ts-check
// Layerlab: Show Model Graph opens the model's graph beside the file; the graph follows
// edits, a click on a box puts the cursor on its line, and the cursor rings its box.
const assert = require('node:assert/strict');
const { suite, suiteSetup, test } = require('mocha');
const vscode = require('vscode');
const { openFixture, snapshot, snapshotUrl, waitFor } = require('./helpers.cjs');

/**
 * @typedef {{ uri: string, model: string | undefined, title: string, nodes: number, messagesReceived: readonly string[], disposed: boolean }} OpenGraph
 * @returns {readonly OpenGraph[]}
 */
function graphs() {
  const api = vscode.extensions.getExtension('layerlab.layerlab')?.exports;
  if (!api || typeof api.graphs !== 'function') throw new Error('the extension exports no graphs() (extension/src/extension.ts)');
  return api.graphs();
}

suite('model graph view', function () {
  this.timeout(120_000);
  /** @type {vscode.TextEditor} */
  let editor;

  suiteSetup(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    editor = await openFixture('cnn.model');
  });

  test('the command opens the graph of the model at the cursor: the input and its four layers', async () => {
    editor.selection = new vscode.Selection(3, 4, 3, 4);
    await vscode.commands.executeCommand('layerlab.showModelGraph');
    const uri = editor.document.uri.toString();
    const graph = await waitFor('the graph view to get its graph', () => graphs().find((g) => g.uri === uri && !g.disposed && g.messagesReceived.includes('ready') && g.nodes > 0), 30_000);
    assert.equal(graph.model, 'cnn');
    assert.equal(graph.nodes, 5);
    assert.equal(graph.title, 'Graph: cnn');
    if (!snapshotUrl()) return;
    const boxes = await snapshot({ name: 'graph-view', selector: 'svg.graph g.node', expectText: 'Dense', inWebview: true, timeoutMs: 30_000 });
    assert.equal(boxes.textContents.length, 5, `five boxes (${boxes.screenshot})`);
    assert.ok(boxes.textContents.some((t) => t.includes('Conv2D') && t.includes('26×26×32') && t.includes('320 params')), boxes.textContents.join(' | '));
  });

  test('a click on a box puts the cursor on its layer', async function () {
    if (!snapshotUrl()) this.skip();
    await snapshot({ name: 'graph-view-click', selector: 'svg.graph g.node[data-id="dense"]', inWebview: true, click: true });
    const line = await waitFor('the cursor on the Dense line', () => {
      const active = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === editor.document.uri.toString());
      return active && active.selection.active.line === 6 ? active.selection.active.line : undefined;
    });
    assert.equal(line, 6);
  });

  test('an edit reaches the graph: one more layer, one more box', async () => {
    const uri = editor.document.uri.toString();
    editor = await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
    await editor.edit((edit) => edit.insert(new vscode.Position(5, 0), '  Dropout(0.25)\n'));
    try {
      const graph = await waitFor('the graph of the edited file', () => graphs().find((g) => g.uri === uri && g.nodes === 6), 15_000);
      assert.equal(graph.model, 'cnn');
    } finally {
      await editor.edit((edit) => edit.delete(new vscode.Range(5, 0, 6, 0)));
    }
    await waitFor('the graph back to five boxes', () => graphs().find((g) => g.uri === uri && g.nodes === 5), 15_000);
  });
});
