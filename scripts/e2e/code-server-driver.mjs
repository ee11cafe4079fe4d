#!/usr/bin/env node
// @ts-check
// A stand-in for the VS Code executable, for @vscode/test-electron's runTests
// (vscodeExecutablePath): starts code-server, opens its workbench in headless
// Chromium with the extension-test payload, waits for
// window.codeAutomationExit(code), stops everything and exits with that code.
//
// Environment:
//   LAYERLAB_E2E_TIMEOUT_S    limit for the whole run (default 300)
//   LAYERLAB_E2E_ARTIFACTS    screenshots and code-server's log (default: $TMPDIR/layerlab-e2e-artifacts)
//   LAYERLAB_E2E_VERBOSE=1    pass on the browser console
//   LAYERLAB_E2E_KEEP=1       keep the scratch folder (profile, logs)
//   LAYERLAB_E2E_RESTRICTED=1 workspace trust on and the workspace not trusted (Restricted Mode);
//                             code-server's log is then code-server-restricted.log
//   CHROMIUM_PATH             the browser (default: Debian's chromium)
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWorkbench, workbenchUrl } from './browser.mjs';
import { startCodeServer } from './code-server.mjs';
import { findChromium, missingDepsHint } from './config.mjs';
import { parseDriverArgs } from './driver-args.mjs';
import { ensureCodeServer } from './install.mjs';
import { startSnapshotBridge } from './snapshot-bridge.mjs';

const say = (/** @type {string} */ line) => console.error(`[e2e driver] ${line}`);
const verbose = process.env['LAYERLAB_E2E_VERBOSE'] === '1';

/** Harmless workbench messages (offline marketplace, connection set-up), shown only with LAYERLAB_E2E_VERBOSE=1. */
const knownNoise = [/ENOTFOUND/, /^Resolv(ing|ed) connection token/, /^Creating a socket/, /^Updating additional builtin extensions cache/, /^\[Service Worker\]/, /^ChatSessionStore/];
const timeoutS = Number(process.env['LAYERLAB_E2E_TIMEOUT_S'] ?? 300);
const restricted = process.env['LAYERLAB_E2E_RESTRICTED'] === '1';

/** Everything started so far, stopped in reverse order, once. */
const cleanups = /** @type {Array<() => Promise<void>>} */ ([]);
/** Synchronous last resort when the process exits without running cleanup. */
const killers = /** @type {Array<() => void>} */ ([]);
/** @type {Promise<void> | undefined} */
let cleaning;
/** Every caller (signals arrive twice: from the terminal and from runTests) waits for the same cleanup. */
function cleanup() {
  cleaning ??= (async () => {
    for (const step of cleanups.reverse()) await step().catch((error) => say(`cleanup: ${error instanceof Error ? error.message : error}`));
  })();
  return cleaning;
}
process.on('exit', () => {
  for (const kill of killers) kill();
});

/** @param {string} message @returns {never} */
function fail(message) {
  throw new Error(message);
}

/** @returns {Promise<number>} */
async function main() {
  const args = parseDriverArgs(process.argv.slice(2));
  const executablePath = findChromium() ?? fail(`Chromium not found${process.env['CHROMIUM_PATH'] ? ` at CHROMIUM_PATH=${process.env['CHROMIUM_PATH']}` : ''}. ${missingDepsHint}`);
  // A first install takes minutes and is not part of the timed run.
  const entry = await ensureCodeServer(say);
  armTimeout();

  const scratch = mkdtempSync(join(tmpdir(), 'layerlab-e2e-'));
  cleanups.push(async () => {
    if (process.env['LAYERLAB_E2E_KEEP'] === '1') say(`kept ${scratch}`);
    else rmSync(scratch, { recursive: true, force: true });
  });
  const artifactsDir = process.env['LAYERLAB_E2E_ARTIFACTS'] ?? join(tmpdir(), 'layerlab-e2e-artifacts');

  /** @type {import('playwright-core').Page | undefined} */
  let page;
  const bridge = await startSnapshotBridge(() => page, artifactsDir);
  cleanups.push(bridge.close);

  const server = await startCodeServer({
    entry,
    scratch,
    userDataDir: args.userDataDir ?? join(scratch, 'user-data'),
    extensionsDir: args.extensionsDir ?? join(scratch, 'extensions'),
    env: { LAYERLAB_E2E_SNAPSHOT_URL: bridge.url, LAYERLAB_E2E_ARTIFACTS: artifactsDir },
    restricted,
  });
  killers.push(server.killNow);
  cleanups.push(async () => {
    await server.stop();
    copyFileSync(server.logPath, join(artifactsDir, restricted ? 'code-server-restricted.log' : 'code-server.log'));
  });
  await server.waitUntilReady(60_000);
  say(`code-server ready on http://127.0.0.1:${server.port}/${restricted ? ' in Restricted Mode (workspace trust on, workspace not trusted)' : ''} (its log ends up in ${artifactsDir})`);

  const url = workbenchUrl(server.port, args);
  const workbench = await openWorkbench({
    executablePath,
    scratch,
    url,
    log: (message, isError) => {
      if (verbose || !knownNoise.some((pattern) => pattern.test(message))) (isError ? console.error : console.log)(message);
    },
    verbose,
  });
  page = workbench.page;
  cleanups.push(workbench.close);

  const serverDied = server.exited.then((code) => fail(`code-server exited (${code}) before the tests finished`));
  return Promise.race([workbench.exitCode, serverDied]);
}

/** @param {NodeJS.Signals} signal @param {number} code */
function onSignal(signal, code) {
  process.on(signal, () => {
    if (!cleaning) say(`${signal}: stopping`);
    void cleanup().finally(() => process.exit(code));
  });
}
onSignal('SIGINT', 130);
onSignal('SIGTERM', 143);

/** @type {ReturnType<typeof setTimeout> | undefined} */
let timer;
function armTimeout() {
  timer = setTimeout(() => {
    say(`timed out after ${timeoutS} s (LAYERLAB_E2E_TIMEOUT_S) without window.codeAutomationExit; stopping`);
    void cleanup().finally(() => process.exit(124));
  }, timeoutS * 1000);
}

// Orphaned (the test runner died): nobody will read the result, and writing
// to its pipes fails (EPIPE), which must not cut the cleanup short.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
const parent = process.ppid;
const orphanWatch = setInterval(() => {
  if (process.ppid !== parent) {
    say('the parent process is gone; stopping');
    void cleanup().finally(() => process.exit(1));
  }
}, 1000);

main().then(
  async (code) => {
    clearTimeout(timer);
    clearInterval(orphanWatch);
    await cleanup();
    process.exit(code);
  },
  async (error) => {
    clearTimeout(timer);
    clearInterval(orphanWatch);
    say(error instanceof Error ? error.message : String(error));
    await cleanup();
    process.exit(1);
  },
);
