// @ts-check
// The language server is killed (SIGKILL, as a crash would end it): the
// extension starts it again and says so once a session; after 5 crashes in 3
// minutes it stops restarting, says so, and Restart Server brings it back.
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { suite, suiteSetup, suiteTeardown, test } = require('mocha');
const vscode = require('vscode');
const { hoverText, openFixture, snapshot, snapshotUrl, waitFor } = require('./helpers.cjs');

const restartedNotice = "Layerlab's language server stopped unexpectedly and was restarted.";
const gaveUpNotice = "Layerlab's language server stopped unexpectedly 5 times in 3 minutes and will not be restarted.";

/**
 * The language servers the extension runs: node processes forked by this
 * extension host (where the tests run) with dist/server.cjs.
 * @returns {number[]}
 */
function serverPids() {
  return execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null && Number(match[2]) === process.pid && /dist[\\/]server\.cjs/.test(match[3] ?? ''))
    .map((match) => Number(match?.[1]));
}

/** @returns {Promise<number>} */
function runningServer() {
  return waitFor('one language server process', () => {
    const pids = serverPids();
    return pids.length === 1 ? pids[0] : undefined;
  });
}

/**
 * Kills the server and waits for its successor.
 * @returns {Promise<{ killed: number, next: number }>}
 */
async function crashAndWaitForRestart() {
  const killed = await runningServer();
  process.kill(killed, 'SIGKILL');
  const next = await waitFor(`a new language server after killing ${killed}`, () => {
    const pids = serverPids();
    return pids.length === 1 && pids[0] !== killed ? pids[0] : undefined;
  }, 20_000);
  return { killed, next };
}

/** @returns {readonly string[]} */
function notices() {
  /** @type {{ serverNotices(): readonly string[] } | undefined} */
  const api = vscode.extensions.getExtension('layerlab.layerlab')?.exports;
  if (!api) throw new Error('the Layerlab extension exports no API');
  return api.serverNotices();
}

/** The notifications about the server in the notification center, as the workbench shows them (undefined without the driver). */
async function shownServerNotifications() {
  if (!snapshotUrl()) return undefined;
  await vscode.commands.executeCommand('notifications.showList');
  try {
    const { texts } = await snapshot({ name: 'server-notifications', selector: '.notifications-center .notification-list-item-message', expectText: 'server' });
    return texts.map((text) => text.replace(/\s+/g, ' ').trim()).filter((text) => /server/i.test(text));
  } finally {
    await vscode.commands.executeCommand('notifications.hideList');
  }
}

suite('language server crash and restart', function () {
  this.timeout(120_000);
  const conv = new vscode.Position(3, 4);
  /** @type {vscode.TextEditor} */
  let editor;

  /** @param {string} expected a line the hover on Conv2D shows */
  const hoverShows = (expected) =>
    waitFor(`a hover on Conv2D showing ${expected}`, async () => {
      /** @type {vscode.Hover[]} */
      const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', editor.document.uri, conv);
      const text = hoverText(hovers);
      return text.includes(expected) ? text : undefined;
    }, 20_000);

  suiteSetup(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    editor = await openFixture('cnn.model');
    await hoverShows('`(3·3·1 + 1)·32 = 320`');
    assert.deepEqual(notices(), [], 'no notice before any crash');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  test('killed, the server is restarted, sees edits again, and the user is told once', async () => {
    const { killed, next } = await crashAndWaitForRestart();
    assert.notEqual(next, killed);
    // The new server follows the document: an edit made after the crash changes the hover.
    const edit = new vscode.WorkspaceEdit();
    edit.replace(editor.document.uri, new vscode.Range(3, 9, 3, 11), '64');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await hoverShows('`(3·3·1 + 1)·64 = 640`');
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await hoverShows('`(3·3·1 + 1)·32 = 320`');
    const diagnostics = await waitFor('the diagnostics of the restarted server', () => {
      const found = vscode.languages.getDiagnostics(editor.document.uri);
      return found.length > 0 ? found : undefined;
    });
    assert.deepEqual(diagnostics.map((d) => d.code), ['rank']);

    assert.equal(notices().length, 1, `one notice: ${JSON.stringify(notices())}`);
    assert.ok(notices()[0]?.startsWith(restartedNotice), notices()[0]);
    const shown = await shownServerNotifications();
    // Ours only: vscode-languageclient's own popup ("Connection to server got closed…") is suppressed.
    if (shown) assert.deepEqual(shown.map((text) => text.startsWith(restartedNotice)), [true], `notifications: ${JSON.stringify(shown)}`);
  });

  test('killed again, it is restarted again without a second notice', async () => {
    await crashAndWaitForRestart();
    await hoverShows('`(3·3·1 + 1)·32 = 320`');
    // The notice is decided when the connection closes, before the new server starts: no wait needed.
    assert.equal(notices().length, 1, `still one notice: ${JSON.stringify(notices())}`);
    const shown = await shownServerNotifications();
    if (shown) assert.equal(shown.length, 1, `notifications: ${JSON.stringify(shown)}`);
  });

  test('Restart Language Server starts a new server, which is no crash', async () => {
    const before = await runningServer();
    await vscode.commands.executeCommand('layerlab.restartServer');
    const after = await runningServer();
    assert.notEqual(after, before);
    await hoverShows('`(3·3·1 + 1)·32 = 320`');
    assert.equal(notices().length, 1, `no notice for a restart asked for: ${JSON.stringify(notices())}`);
  });

  test('after 5 crashes in 3 minutes it stays stopped and says so; Restart Server brings it back', async () => {
    // The restart above cleared the count: four crashes are restarted silently.
    for (let i = 0; i < 4; i++) {
      await crashAndWaitForRestart();
      // Killed only once it answers: a server killed while it initializes is another story (vscode-languageclient then shows its own errors).
      await hoverShows('`(3·3·1 + 1)·32 = 320`');
    }
    assert.equal(notices().length, 1, `no notice for crashes 2 to 5: ${JSON.stringify(notices())}`);
    process.kill(await runningServer(), 'SIGKILL');
    await waitFor('the notice that the server is not restarted', () => (notices().length === 2 ? true : undefined));
    assert.ok(notices()[1]?.startsWith(gaveUpNotice), notices()[1]);
    // Not restarted: give a restart time to happen, then check none did.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    assert.deepEqual(serverPids(), []);

    const shown = await shownServerNotifications();
    if (shown) assert.deepEqual(shown.map((text) => [gaveUpNotice, restartedNotice].findIndex((notice) => text.startsWith(notice))), [0, 1], `notifications, newest first: ${JSON.stringify(shown)}`);

    if (snapshotUrl()) {
      // The notice's own action, clicked in the workbench.
      await vscode.commands.executeCommand('notifications.showList');
      await snapshot({ name: 'server-gave-up', selector: '.notifications-center .notification-list-item .monaco-button', expectText: 'Restart Server', click: true });
      await vscode.commands.executeCommand('notifications.hideList');
    } else {
      await vscode.commands.executeCommand('layerlab.restartServer');
    }
    await runningServer();
    await hoverShows('`(3·3·1 + 1)·32 = 320`');
    assert.equal(notices().length, 2, `no notice for the restart: ${JSON.stringify(notices())}`);
  });
});
