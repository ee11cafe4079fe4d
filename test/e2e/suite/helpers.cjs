// @ts-check
// Shared steps of the end-to-end tests, run inside the extension host.
const vscode = require('vscode');

const extensionId = 'layerlab.layerlab';

/**
 * Polls until `check` returns something other than undefined.
 * @template T
 * @param {string} what for the timeout message
 * @param {() => Promise<T | undefined> | T | undefined} check
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
async function waitFor(what, check, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** @param {string} name a file of test/e2e/workspace */
function fixtureUri(name) {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open; the runner passes test/e2e/workspace');
  return vscode.Uri.joinPath(folder.uri, name);
}

/**
 * Opens the fixture in the first editor column and waits until the Layerlab
 * extension, activated by the `model` language, is running.
 * @param {string} name
 * @returns {Promise<vscode.TextEditor>}
 */
async function openFixture(name) {
  const document = await vscode.workspace.openTextDocument(fixtureUri(name));
  const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
  if (document.languageId !== 'model') throw new Error(`${name} opened as ${document.languageId}, not model`);
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`extension ${extensionId} is not loaded (extensionDevelopmentPath)`);
  await waitFor(`activation of ${extensionId}`, () => (extension.isActive ? true : undefined), 30_000);
  return editor;
}

/** @param {vscode.Hover[]} hovers */
function hoverText(hovers) {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === 'string' ? content : content.value))
    .join('\n');
}

/** @param {vscode.InlayHint} hint */
function inlayHintLabel(hint) {
  return typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('');
}

/**
 * @typedef {{ name: string, selector: string, expectText?: string, timeoutMs?: number, inWebview?: boolean, click?: boolean }} SnapshotRequest
 * @typedef {{ screenshot: string, texts: string[], textContents: string[] }} SnapshotResult
 */

/** The driver's screenshot endpoint; undefined when the suite runs without it (desktop VS Code). */
function snapshotUrl() {
  return process.env['LAYERLAB_E2E_SNAPSHOT_URL'];
}

/**
 * Asks the driver for a screenshot of the workbench and the text of the elements matching the selector.
 * @param {SnapshotRequest} request
 * @returns {Promise<SnapshotResult>}
 */
async function snapshot(request) {
  const base = snapshotUrl();
  if (!base) throw new Error('LAYERLAB_E2E_SNAPSHOT_URL is not set; run through scripts/e2e/code-server-driver.mjs');
  const response = await fetch(`${base}/snapshot`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  const body = /** @type {SnapshotResult & { error?: string }} */ (await response.json());
  if (!response.ok) throw new Error(`snapshot ${request.name}: ${body.error ?? response.status}`);
  return body;
}

module.exports = { waitFor, fixtureUri, openFixture, hoverText, inlayHintLabel, snapshotUrl, snapshot };
