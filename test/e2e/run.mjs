#!/usr/bin/env node
// @ts-check
// End-to-end suite in a real VS Code (code-server's 1.100 workbench in headless
// Chromium): `npm run test:e2e`, which builds dist/ first, runs the extension from
// this checkout; `npm run test:e2e:vsix` (CI) packages the VSIX and runs the
// extension from its contents, exactly the files a user installs.
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
  const missingBuild = ['dist/extension.cjs', 'dist/server.cjs', 'dist/trainer.cjs', 'media/dist/training-view.js', 'media/dist/tune-view.js'].filter((file) => !existsSync(join(extensionPath, file)));
  if (missingBuild.length > 0) throw new Error(`${missingBuild.join(', ')} missing in ${vsix ?? root}: ${vsix ? 'the VSIX leaves them out (.vscodeignore)' : 'run `npm run build` (npm run test:e2e does)'}.`);
  if (!findChromium()) throw new Error(`Chromium not found (set CHROMIUM_PATH to use another). ${missingDepsHint}`);
  // Before the timed run: the first install takes minutes.
  await ensureCodeServer((line) => console.error(line));

  mkdirSync(artifactsDir, { recursive: true });
  // Only what a run writes: the folder may be one the user named.
  for (const name of readdirSync(artifactsDir)) if (name.endsWith('.png') || name === 'code-server.log') rmSync(join(artifactsDir, name), { force: true });

  const started = Date.now();
  // Backstop only: the driver enforces the limit and cleans up; it also stops when this process is gone.
  setTimeout(() => {
    console.error(`end-to-end run still going 60 s after its ${timeoutS} s limit; giving up`);
    process.exit(1);
  }, (timeoutS + 60) * 1000).unref();
  try {
    await runTests({
      vscodeExecutablePath: driver,
      extensionDevelopmentPath: extensionPath,
      extensionTestsPath: join(root, 'test', 'e2e', 'suite', 'index.cjs'),
      launchArgs: [join(root, 'test', 'e2e', 'workspace')],
      // The driver makes its own profile in a scratch folder; no .vscode-test/ in the repository.
      reuseMachineInstall: true,
      extensionTestsEnv: { LAYERLAB_E2E_ARTIFACTS: artifactsDir, LAYERLAB_E2E_TIMEOUT_S: String(timeoutS) },
    });
    return 0;
  } catch (error) {
    console.error(`end-to-end tests failed: ${error instanceof Error ? error.message : error}`);
    return 1;
  } finally {
    if (unpacked) rmSync(unpacked.scratch, { recursive: true, force: true });
    console.error(`end-to-end run${vsix ? ` of ${vsix}` : ''}: ${((Date.now() - started) / 1000).toFixed(1)} s; screenshots and code-server.log in ${artifactsDir}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
