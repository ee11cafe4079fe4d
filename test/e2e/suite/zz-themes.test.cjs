// @ts-check
// Runs last (files run in name order): the editor with the training view beside
// it, each at half the window's width, and the summary document, in the dark
// theme a fresh profile starts with and then in a light one. The PNGs are in the
// artifacts folder (themes-*.png), to be looked at.
const assert = require('node:assert/strict');
const { suite, suiteSetup, suiteTeardown, test } = require('mocha');
const vscode = require('vscode');
const { openFixture, snapshot, snapshotUrl, waitFor } = require('./helpers.cjs');

/** @param {string} theme */
async function useTheme(theme) {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  await waitFor(`the ${theme} theme`, () => (vscode.workspace.getConfiguration('workbench').get('colorTheme') === theme ? true : undefined));
  // The workbench repaints after the setting lands.
  await new Promise((resolve) => setTimeout(resolve, 1500));
}

suite('dark and light themes at half width (screenshots)', () => {
  /** @type {vscode.TextEditor} */
  let editor;

  suiteSetup(async function () {
    if (!snapshotUrl()) this.skip();
    this.timeout(120_000);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    editor = await openFixture('tiny.model');
    // A quick run (as the Quick choice starts it): 1 epoch on at most 2,000 images.
    await vscode.commands.executeCommand('layerlab.train', editor.document.uri.toString(), 'tiny', { quick: true });
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
  });

  for (const { name, theme } of [
    { name: 'dark', theme: 'Default Dark Modern' },
    { name: 'light', theme: 'Default Light Modern' },
  ]) {
    test(`${name}: the editor and the training view side by side, the matrix fitting its half`, async function () {
      this.timeout(60_000);
      await useTheme(theme);
      const header = await snapshot({ name: `themes-${name}-training`, selector: '.progress-model dd', expectText: 'tiny', inWebview: true, timeoutMs: 20_000 });
      assert.deepEqual(header.texts, ['tiny (1 of 1)']);
      await snapshot({ name: `themes-${name}-results-tab`, selector: '#tab-results', inWebview: true, click: true });
      const matrix = await snapshot({ name: `themes-${name}-matrix`, selector: 'svg.matrix g.cell', inWebview: true, timeoutMs: 20_000 });
      assert.equal(matrix.textContents.length, 100);
    });

    test(`${name}: the summary in its read-only document beside the file`, async function () {
      this.timeout(30_000);
      await vscode.window.showTextDocument(editor.document, vscode.ViewColumn.One);
      await vscode.commands.executeCommand('layerlab.showSummary', editor.document.uri.toString(), 'tiny');
      const tabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'layerlab-summary');
      try {
        const shot = await snapshot({ name: `themes-${name}-summary`, selector: '.monaco-editor .view-line', expectText: 'Total params' });
        // The DOM spaces are no-break spaces.
        assert.ok(shot.texts.some((t) => t.replace(/\s+/g, ' ').includes('Total params: 12,730')), shot.screenshot);
        assert.equal(tabs().length, 1);
        assert.equal(tabs()[0]?.isDirty, false);
      } finally {
        // Closing it asks nothing (it is never dirty); the training view is in front again.
        await vscode.window.tabGroups.close(tabs());
      }
    });
  }
});
