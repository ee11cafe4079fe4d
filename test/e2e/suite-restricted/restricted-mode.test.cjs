// @ts-check
// Restricted Mode (package.json: capabilities.untrustedWorkspaces, supported
// "limited"), in a workbench where workspace trust is on and
// test/e2e/restricted.code-workspace is not trusted: the language features
// work, training and tuning are off (no Train or Tune lens; the commands say
// why and offer Manage Workspace Trust), the restricted setting of the
// workspace is ignored; granting trust turns training back on.
// Each test says how it fails when Restricted Mode is not honoured.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { readFileSync } = require('node:fs');
const { suite, suiteSetup, suiteTeardown, test } = require('mocha');
const vscode = require('vscode');
const { fixtureUri, hoverText, inlayHintLabel, openFixture, snapshot, snapshotUrl, waitFor } = require('../suite/helpers.cjs');

const trainRefusal = 'Layerlab: training is off in Restricted Mode, because it loads TensorFlow.js packages installed in the workspace. Trust the workspace to train; the editor features work either way.';
const tuneRefusal = 'Layerlab: tuning is off in Restricted Mode, because it loads TensorFlow.js packages installed in the workspace. Trust the workspace to tune; the editor features work either way.';
/** What restricted.code-workspace sets; package.json declares it restricted. */
const workspaceNativeModulesPath = '/restricted-mode-must-not-apply-this';

/** The DOM has no-break spaces and padding; compare words. @param {string} text */
const words = (text) => text.replace(/\s+/g, ' ').trim();

/** @returns {readonly { viewType: string }[]} the training and search views the extension has open */
function views() {
  const api = vscode.extensions.getExtension('layerlab.layerlab')?.exports;
  if (!api || typeof api.views !== 'function') throw new Error('the extension exports no views() (extension/src/extension.ts)');
  return api.views();
}

/** Trainer processes (dist/trainer.cjs) started by this extension host. @returns {number[]} */
function trainerPids() {
  return execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && Number(match[2]) === process.pid && /dist[\\/]trainer\.cjs/.test(match[3] ?? ''))
    .map((match) => Number(match?.[1]));
}

/** @param {vscode.Uri} uri @param {(titles: string[]) => boolean} done @returns {Promise<string[]>} the titles of the code lenses once `done` holds */
function lensTitles(uri, done) {
  return waitFor(`the code lenses of ${uri.path}`, async () => {
    // Loaded first: the provider command rejects a document the workbench has not opened.
    await vscode.workspace.openTextDocument(uri);
    /** @type {vscode.CodeLens[]} */
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri, 10);
    const titles = lenses.map((lens) => lens.command?.title ?? '');
    return done(titles) ? titles : undefined;
  }, 20_000);
}

/** @returns {string[]} the labels of the open editor tabs */
const tabLabels = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs.map((tab) => tab.label));

/**
 * Runs a Train or Tune command without waiting (it waits for the warning's
 * answer), and returns the warning toast the workbench shows.
 * @param {string} command @param {unknown[]} args
 */
async function refusedWithWarning(command, args) {
  let settled = false;
  const running = Promise.resolve(vscode.commands.executeCommand(command, ...args)).finally(() => {
    settled = true;
  });
  const { screenshot, texts } = await snapshot({ name: `restricted-${command.split('.').pop()}-refused`, selector: '.notifications-toasts .notification-list-item', expectText: 'Restricted Mode', timeoutMs: 15_000 });
  const toast = texts.map(words).find((text) => text.includes('Restricted Mode')) ?? '';
  return { running, settled: () => settled, toast, screenshot };
}

suite('Restricted Mode (workspace not trusted)', function () {
  this.timeout(60_000);
  const cnn = fixtureUri('cnn.model');
  const tiny = fixtureUri('tiny.model');
  /** @type {vscode.TextEditor} */
  let editor;

  suiteSetup(async () => {
    // This pass checks what the workbench shows; it runs only through scripts/e2e/code-server-driver.mjs.
    if (!snapshotUrl()) throw new Error('LAYERLAB_E2E_SNAPSHOT_URL is not set: run the Restricted Mode pass with `node test/e2e/run.mjs --pass restricted`');
    editor = await openFixture('cnn.model');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('the workspace is not trusted, and the extension is active in it, with its commands', async () => {
    // Fails when the pass runs trusted (code-server with --disable-workspace-trust, trust disabled in the
    // user settings, or a profile that trusts the folder): every check below would then test nothing.
    assert.equal(vscode.workspace.isTrusted, false, 'vscode.workspace.isTrusted');
    // Fails when the manifest stops supporting untrusted workspaces (supported: false, or no
    // capabilities.untrustedWorkspaces): VS Code then leaves the extension disabled in Restricted Mode.
    // (openFixture has already waited for it to activate.)
    const extension = vscode.extensions.getExtension('layerlab.layerlab');
    assert.equal(extension?.isActive, true, 'the extension is active');
    // isActive is also true after activate() threw. Fails when activation broke off in Restricted Mode, as it
    // did when the server, told trainAvailable: false, advertised layerlab.showSummary, which the language
    // client then registered before the extension could (initializationOptions.clientCommands fixed it).
    assert.equal(typeof extension?.exports?.views, 'function', 'activate() returned the API');
    const commands = await vscode.commands.getCommands(true);
    for (const id of ['layerlab.showSummary', 'layerlab.train', 'layerlab.tune']) assert.ok(commands.includes(id), `${id} is registered`);
  });

  test('language features work: hover, inlay hints and diagnostics of cnn.model', async () => {
    // Fails when Restricted Mode turns off more than training: the language server not started,
    // or started without answering.
    const hover = await waitFor('a hover on Conv2D', async () => {
      /** @type {vscode.Hover[]} */
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', cnn, new vscode.Position(3, 4));
      return hovers.length > 0 ? hoverText(hovers) : undefined;
    }, 20_000);
    for (const line of ['**Output shape:** `(None, 26, 26, 32)`', '`(3·3·1 + 1)·32 = 320`']) assert.ok(hover.includes(line), `hover lacks ${JSON.stringify(line)}:\n${hover}`);

    const hints = await waitFor('inlay hints', async () => {
      /** @type {vscode.InlayHint[]} */
      const found = await vscode.commands.executeCommand('vscode.executeInlayHintProvider', cnn, new vscode.Range(0, 0, editor.document.lineCount, 0));
      return found.length > 0 ? found : undefined;
    });
    const labels = hints.map((hint) => `${hint.position.line + 1}: ${inlayHintLabel(hint)}`);
    for (const label of ['4: → 26×26×32 · 320 params', '7: → 10 · 54,090 params']) assert.ok(labels.includes(label), `no hint ${JSON.stringify(label)}: ${labels.join(' | ')}`);

    const diagnostics = await waitFor('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(cnn);
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`), ['12:3 rank']);
  });

  test('code lenses: the totals, Summary and Graph (no TensorFlow.js in either), but no Train or Tune lens', async () => {
    // Fails when the server is told trainAvailable: true (or ignores it) in an untrusted workspace:
    // the same request in the main pass (language-features.test.cjs) and after the trust grant below
    // gives Train and Tune on tiny.model.
    const titles = await lensTitles(tiny, (found) => found.includes('Summary'));
    assert.ok(titles.some((title) => title.startsWith('12,730 params')), `the totals lens: ${titles.join(' | ')}`);
    assert.ok(titles.includes('Graph'), `the Graph lens: ${titles.join(' | ')}`);
    const training = titles.filter((title) => /^(Train|Tune)\b/.test(title));
    assert.deepEqual(training, [], `no Train or Tune lens in Restricted Mode: ${titles.join(' | ')}`);
  });

  test('screenshot: the editor with its inlay hints, and the Restricted Mode indicator', async () => {
    editor = await vscode.window.showTextDocument(editor.document, { viewColumn: vscode.ViewColumn.One });
    editor.selection = new vscode.Selection(3, 4, 3, 4);
    // Fails when the workbench is not in Restricted Mode (it shows no indicator then).
    const indicator = await snapshot({ name: 'restricted-mode', selector: '.statusbar-item', expectText: 'Restricted Mode' });
    const items = indicator.texts.map(words);
    assert.ok(items.includes('Restricted Mode'), `status bar (${indicator.screenshot}): ${items.join(' | ')}`);
    // The extension's own status bar item, set up after the server started: fails when activation broke off.
    const totals = await snapshot({ name: 'restricted-mode', selector: '.statusbar-item', expectText: 'cnn: 54,410 params' });
    assert.ok(totals.texts.map(words).some((text) => text.includes('cnn: 54,410 params · 498K FLOPs')), `status bar (${totals.screenshot}): ${totals.texts.map(words).join(' | ')}`);
    // Taken last, so restricted-mode.png shows the hints drawn (and the indicator, still there).
    const { screenshot, texts } = await snapshot({ name: 'restricted-mode', selector: '.monaco-editor .view-line', expectText: '320 params' });
    assert.ok(texts.map(words).some((line) => line.endsWith('→ 26×26×32 · 320 params')), `the Conv2D line with its hint (${screenshot}):\n${texts.map(words).join('\n')}`);
  });

  test('Tune refuses and says why', async () => {
    const before = views().length;
    const refused = await refusedWithWarning('layerlab.tune', [tiny.toString(), 'tiny_tunable']);
    assert.ok(refused.toast.includes(tuneRefusal), `the warning (${refused.screenshot}): ${refused.toast}`);
    // Dismissed, the warning answers undefined and the command ends without a search.
    await vscode.commands.executeCommand('notifications.clearAll');
    await waitFor('the Tune command to end', () => (refused.settled() ? true : undefined));
    await refused.running;
    // Fails when the command goes on to search: it opens a search view and starts trainers.
    assert.equal(views().length, before, 'no search view was opened');
    assert.deepEqual(trainerPids(), [], 'no trainer process');
  });

  test('Train refuses, says why, and its Manage Workspace Trust button opens the Workspace Trust editor', async () => {
    const before = views().length;
    const refused = await refusedWithWarning('layerlab.train', [tiny.toString(), 'tiny', { epochs: 1, limit: 100 }]);
    // Fails when the command does not check trust (it would train: a view opens, no warning), or says something else.
    assert.ok(refused.toast.includes(trainRefusal), `the warning (${refused.screenshot}): ${refused.toast}`);
    assert.ok(refused.toast.includes('Manage Workspace Trust'), `the warning's button (${refused.screenshot}): ${refused.toast}`);
    assert.deepEqual(trainerPids(), [], 'no trainer process while the warning is shown');
    assert.equal(refused.settled(), false, 'the command waits for the answer');

    await snapshot({ name: 'restricted-train-manage-trust', selector: '.notifications-toasts .notification-list-item .monaco-button', expectText: 'Manage Workspace Trust', click: true });
    await waitFor('the Train command to end', () => (refused.settled() ? true : undefined));
    await refused.running;
    assert.equal(views().length, before, 'no training view was opened');
    assert.deepEqual(trainerPids(), [], 'no trainer process');
    // Fails when the button does nothing (workbench.trust.manage not run).
    await waitFor('the Workspace Trust editor', () => (tabLabels().includes('Workspace Trust') ? true : undefined));
  });

  test('the restricted setting of the workspace is ignored, an unrestricted one applies', () => {
    const file = vscode.workspace.workspaceFile;
    assert.ok(file, 'opened through restricted.code-workspace');
    // The file does set it: without this, an ignored value would prove nothing.
    assert.ok(readFileSync(file.fsPath, 'utf8').includes(workspaceNativeModulesPath), `${file.fsPath} sets layerlab.training.nativeModulesPath`);
    const settings = vscode.workspace.getConfiguration('layerlab.training');
    // Fails when the workspace's settings are not read at all (then the next check would hold trivially).
    assert.equal(settings.get('threads'), 3, 'layerlab.training.threads from the workspace file');
    // Fails when package.json stops listing it in restrictedConfigurations: VS Code would then apply the
    // workspace's value, and trainerProcessOptions (extension/src/trainer-process.ts) would load native
    // modules from a folder the workspace chose.
    assert.equal(settings.get('nativeModulesPath'), '', 'layerlab.training.nativeModulesPath keeps its default');
  });

  test('granting trust (the Workspace Trust editor\'s Trust button) restarts the server, which then offers Train and Tune', async function () {
    this.timeout(90_000);
    // The control for the checks above: the same workbench, fixtures and settings, trusted.
    if (!tabLabels().includes('Workspace Trust')) await vscode.commands.executeCommand('workbench.trust.manage');
    const granted = new Promise((resolve) => {
      const listener = vscode.workspace.onDidGrantWorkspaceTrust(() => {
        listener.dispose();
        resolve(undefined);
      });
    });
    await snapshot({ name: 'restricted-trust-editor', selector: '.workspace-trust-editor .workspace-trust-buttons .monaco-button', expectText: 'Trust', click: true });
    await granted;
    assert.equal(vscode.workspace.isTrusted, true, 'vscode.workspace.isTrusted after the grant');
    const titles = await lensTitles(tiny, (found) => found.includes('Train') && found.includes('Tune'));
    assert.ok(titles.includes('Summary'), `lenses after the grant: ${titles.join(' | ')}`);
    assert.equal(vscode.workspace.getConfiguration('layerlab.training').get('nativeModulesPath'), workspaceNativeModulesPath, 'trusted, the workspace value applies');
  });
});
