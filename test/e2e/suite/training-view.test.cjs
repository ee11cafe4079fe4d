// @ts-check
// Train Model opens the training view, which fills with curves and a confusion
// matrix; its Stop button cancels a run. Trains for real (WebAssembly backend)
// on a slice of MNIST, so the whole suite stays within a few minutes.
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { suite, suiteSetup, test } = require('mocha');
const vscode = require('vscode');
const { openFixture, snapshot, snapshotUrl, waitFor } = require('./helpers.cjs');

/**
 * @typedef {{ viewType: string, title: string, ids: readonly string[], messagesReceived: readonly string[], disposed: boolean }} OpenView
 * @returns {readonly OpenView[]}
 */
function views() {
  const api = vscode.extensions.getExtension('layerlab.layerlab')?.exports;
  if (!api || typeof api.views !== 'function') throw new Error('the extension exports no views() (extension/src/extension.ts)');
  return api.views();
}

/** @param {string} runDir @returns {{ status: string, history: unknown[] }} */
const runRecord = (runDir) => JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'));

suite('training view', function () {
  this.timeout(180_000);
  /** @type {vscode.TextEditor} */
  let editor;

  suiteSetup(async function () {
    if (!snapshotUrl()) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    editor = await openFixture('tiny.model');
  });

  test('Train Model opens the view, which shows the curves and then the 10×10 confusion matrix', async () => {
    const before = views().length;
    await vscode.commands.executeCommand('layerlab.train', editor.document.uri.toString(), 'tiny', { epochs: 2, limit: 1000 });
    const view = views().at(-1);
    assert.ok(view && views().length === before + 1, 'a new view was opened');
    assert.equal(view.viewType, 'layerlab.training');
    // The run may finish before the webview has loaded; it gets everything replayed once it says ready.
    await waitFor('the view to say ready', () => (views().at(-1)?.messagesReceived.includes('ready') ? true : undefined), 30_000);
    assert.equal(view.ids.length, 1, 'the finished run was loaded into the view');
    const record = runRecord(view.ids[0] ?? '');
    assert.equal(record.status, 'completed');
    assert.equal(record.history.length, 2);

    const model = await snapshot({ name: 'training-view-curves', selector: '.progress-model dd', expectText: 'tiny', inWebview: true, timeoutMs: 20_000 });
    assert.deepEqual(model.texts, ['tiny (1 of 1)']);
    const curves = await snapshot({ name: 'training-view-curves-canvas', selector: '.curves canvas', inWebview: true });
    assert.ok(curves.texts.length >= 2, 'the loss and accuracy charts are drawn');

    await snapshot({ name: 'training-view-tab', selector: '#tab-results', inWebview: true, click: true });
    const cells = await snapshot({ name: 'training-view-matrix', selector: 'svg.matrix g.cell', inWebview: true, timeoutMs: 20_000 });
    assert.equal(cells.textContents.length, 100, 'a 10×10 confusion matrix');
    const total = cells.textContents.reduce((sum, text) => sum + Number(text.replace(/,/g, '')), 0);
    assert.equal(total, 1000, 'the cells count the 1,000 test images');
  });

  test('Stop in the view cancels training after the current batch; finished epochs are kept; the file\'s view is reused', async () => {
    const before = views().length;
    const reused = views().at(-1);
    const training = vscode.commands.executeCommand('layerlab.train', editor.document.uri.toString(), 'tiny', { epochs: 500, limit: 6000 });
    // The button shows once training runs; the driver clicks it inside the webview.
    await snapshot({ name: 'training-view-stop', selector: '.progress button', expectText: 'Stop', inWebview: true, click: true, timeoutMs: 60_000 });
    await training;
    const stopped = views().at(-1);
    assert.ok(stopped);
    assert.ok(stopped.messagesReceived.includes('stop'), `the view sent stop (${stopped.messagesReceived.join(', ')})`);
    assert.equal(views().length, before, 'the second run of the file shows in its open view, not a new tab');
    assert.equal(stopped.title, reused?.title);
    // The earlier run stays in the view's run picker; the cancelled one comes after it.
    const runDir = await waitFor('the cancelled run in the view', () => (stopped.ids.length === 2 ? stopped.ids[1] : undefined));
    const record = runRecord(runDir);
    assert.equal(record.status, 'cancelled');
    assert.ok(record.history.length < 500, `stopped early (${record.history.length} epochs)`);
    const outcome = await snapshot({ name: 'training-view-stopped', selector: '.progress .outcome', expectText: 'cancelled', inWebview: true });
    assert.match(outcome.texts.join(' '), /Training cancelled/);
  });
});
