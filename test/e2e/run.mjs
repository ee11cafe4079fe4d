#!/usr/bin/env node
// @ts-check
// End-to-end suite in a real VS Code (code-server's 1.100 workbench in headless
// Chromium): `npm run test:e2e`, which builds dist/ first, runs the extension from
// this checkout; `npm run test:e2e:vsix` (CI) packages the VSIX and runs the
// extension from its contents, exactly the files a user installs.
//
// Two passes, each in a fresh code-server and browser: the main suite
// (test/e2e/suite/, workspace trust off) and Restricted Mode
// (test/e2e/suite-restricted/: trust on, the workspace not trusted, opened
// through test/e2e/restricted.code-workspace). Both run, whatever the first
// gives; the exit status is 1 when either fails. `--pass main` or
// `--pass restricted` runs one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { findChromium, missingDepsHint } from '../../scripts/e2e/config.mjs';
import { ensureCodeServer } from '../../scripts/e2e/install.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const driver = join(root, 'scripts', 'e2e', 'code-server-driver.mjs');
const artifactsDir = process.env['LAYERLAB_E2E_ARTIFACTS'] ?? join(root, 'test', 'e2e', 'artifacts');
const timeoutS = Number(process.env['LAYERLAB_E2E_TIMEOUT_S'] ?? 300);

/**
 * @typedef {object} Pass
 * @property {string} name
 * @property {string} suite the folder whose index.cjs the extension host loads
 * @property {string} target the folder or .code-workspace the workbench opens
 * @property {Record<string, string>} env for the driver (and through code-server, the extension host)
 */
/** @type {Pass[]} */
const passes = [
  { name: 'main', suite: join(root, 'test', 'e2e', 'suite'), target: join(root, 'test', 'e2e', 'workspace'), env: { LAYERLAB_E2E_RESTRICTED: '0' } },
  // The same fixtures; the workspace file adds workspace settings, one of them restricted.
  { name: 'restricted', suite: join(root, 'test', 'e2e', 'suite-restricted'), target: join(root, 'test', 'e2e', 'restricted.code-workspace'), env: { LAYERLAB_E2E_RESTRICTED: '1' } },
];

/**
 * Unzips a VSIX into a scratch folder; its `extension/` folder is what VS Code installs.
 * @param {string} vsix
 * @returns {{ extensionPath: string, scratch: string }}
 */
function unpackVsix(vsix) {
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist: run \`npm run package\` (npm run test:e2e:vsix does).`);
  const scratch = mkdtempSync(join(tmpdir(), 'layerlab-vsix-'));
  const unzip = spawnSync('unzip', ['-q', vsix, '-d', scratch], { encoding: 'utf8' });
  if (unzip.error) throw new Error(`unzip could not run (${unzip.error.message}): install it, e.g. \`apt-get install unzip\` (.ci/e2e-deps.sh does).`);
  if (unzip.status !== 0) throw new Error(`unzip ${vsix} failed: ${unzip.stderr.trim()}`);
  return { extensionPath: join(scratch, 'extension'), scratch };
}

/** @returns {Promise<number>} */
async function main() {
  const vsixArg = process.argv.indexOf('--vsix');
  const vsix = vsixArg > 0 ? resolve(process.argv[vsixArg + 1] ?? 'layerlab.vsix') : undefined;
  const unpacked = vsix ? unpackVsix(vsix) : undefined;
  const extensionPath = unpacked?.extensionPath ?? root;
  const missingBuild = ['dist/extension.cjs', 'dist/server.cjs', 'dist/trainer.cjs', 'media/dist/training-view.js', 'media/dist/tune-view.js', 'media/dist/graph-view.js'].filter((file) => !existsSync(join(extensionPath, file)));
  if (missingBuild.length > 0) throw new Error(`${missingBuild.join(', ')} missing in ${vsix ?? root}: ${vsix ? 'the VSIX leaves them out (.vscodeignore)' : 'run `npm run build` (npm run test:e2e does)'}.`);
  if (!findChromium()) throw new Error(`Chromium not found (set CHROMIUM_PATH to use another). ${missingDepsHint}`);
  // Before the timed run: the first install takes minutes.
  await ensureCodeServer((line) => console.error(line));

  mkdirSync(artifactsDir, { recursive: true });
  // Only what a run writes: the folder may be one the user named.
  for (const name of readdirSync(artifactsDir)) if (name.endsWith('.png') || /^code-server.*\.log$/.test(name)) rmSync(join(artifactsDir, name), { force: true });

  const passArg = process.argv.indexOf('--pass');
  const only = passArg > 0 ? process.argv[passArg + 1] : undefined;
  const selected = passes.filter((pass) => only === undefined || pass.name === only);
  if (selected.length === 0) throw new Error(`--pass ${only ?? ''}: expected one of ${passes.map((pass) => pass.name).join(', ')}`);

  const started = Date.now();
  // Backstop only: the driver enforces the limit of each pass and cleans up; it also stops when this process is gone.
  setTimeout(() => {
    console.error(`end-to-end run still going 60 s after its ${selected.length} × ${timeoutS} s limit; giving up`);
    process.exit(1);
  }, (selected.length * timeoutS + 60) * 1000).unref();
  /** @type {string[]} */
  const results = [];
  let failed = false;
  try {
    for (const pass of selected) {
      const passStarted = Date.now();
      console.error(`end-to-end pass ${pass.name}: ${pass.suite}`);
      try {
        await runTests({
          vscodeExecutablePath: driver,
          extensionDevelopmentPath: extensionPath,
          extensionTestsPath: join(pass.suite, 'index.cjs'),
          launchArgs: [pass.target],
          // The driver makes its own profile in a scratch folder; no .vscode-test/ in the repository.
          reuseMachineInstall: true,
          extensionTestsEnv: { LAYERLAB_E2E_ARTIFACTS: artifactsDir, LAYERLAB_E2E_TIMEOUT_S: String(timeoutS), ...pass.env },
        });
        results.push(`${pass.name} passed (${((Date.now() - passStarted) / 1000).toFixed(1)} s)`);
      } catch (error) {
        failed = true;
        console.error(`end-to-end pass ${pass.name} failed: ${error instanceof Error ? error.message : error}`);
        results.push(`${pass.name} FAILED (${((Date.now() - passStarted) / 1000).toFixed(1)} s)`);
      }
    }
    return failed ? 1 : 0;
  } finally {
    if (unpacked) rmSync(unpacked.scratch, { recursive: true, force: true });
    console.error(`end-to-end run${vsix ? ` of ${vsix}` : ''}: ${results.join(', ')}; ${((Date.now() - started) / 1000).toFixed(1)} s in all; screenshots and code-server logs in ${artifactsDir}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
