#!/usr/bin/env node
// @ts-check
// Installs code-server into the e2e cache on first use (as test-electron caches
// VS Code), so `npm ci` never pulls it in. Usage: node scripts/e2e/install.mjs
import { spawn } from 'node:child_process';
import { accessSync, constants, copyFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CODE_SERVER_VERSION, cacheRoot, codeServerDir, codeServerEntry, installedMarker, isCodeServerInstalled, missingDepsHint } from './config.mjs';

/** The ripgrep release @vscode/ripgrep 1.15.11 (code-server 4.100.3's) downloads from GitHub at install. */
const RIPGREP_PACKAGE_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

/** @param {string} name */
function findOnPath(name) {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/** @returns {string[]} what is missing, in words */
function missingPrerequisites() {
  const missing = [];
  const nodeMajor = Number(process.versions.node.split('.')[0]);
  if (nodeMajor !== 20) missing.push(`Node 20 (code-server ${CODE_SERVER_VERSION} refuses Node ${process.versions.node})`);
  if (!findOnPath('rg')) missing.push('rg (Debian package ripgrep)');
  if (!findOnPath('krb5-config')) missing.push('krb5-config (Debian package libkrb5-dev)');
  for (const tool of ['make', 'g++', 'python3', 'tar']) if (!findOnPath(tool)) missing.push(tool);
  return missing;
}

/**
 * @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache
 * folder under the temp directory already holds the release tarball; a
 * tarball of Debian's rg (same 13.0.0) stands in for it.
 * @param {string} tmpDir @param {string} rg
 */
async function seedRipgrepCache(tmpDir, rg) {
  const target = arch() === 'arm64' ? 'aarch64-unknown-linux-musl' : 'x86_64-unknown-linux-musl';
  const cacheDir = join(tmpDir, `vscode-ripgrep-cache-${RIPGREP_PACKAGE_VERSION}`);
  const staging = join(tmpDir, 'rg-staging');
  mkdirSync(cacheDir, { recursive: true });
  mkdirSync(staging, { recursive: true });
  copyFileSync(rg, join(staging, 'rg'));
  await run('tar', ['-czf', join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`), '-C', staging, 'rg'], { cwd: tmpDir, env: process.env });
}

/**
 * @param {string} command @param {string[]} args
 * @param {{ cwd: string, env: NodeJS.ProcessEnv, log?: import('node:fs').WriteStream }} options
 * @returns {Promise<void>}
 */
function run(command, args, { cwd, env, log }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', log ? 'pipe' : 'inherit', log ? 'pipe' : 'inherit'] });
    if (log) {
      child.stdout?.pipe(log, { end: false });
      child.stderr?.pipe(log, { end: false });
    }
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`))));
  });
}

/** @param {string} path @param {number} lines */
function tail(path, lines) {
  return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
}

/**
 * Installs code-server once; later calls return at once.
 * @param {(line: string) => void} [say]
 * @returns {Promise<string>} the path of code-server's entry script
 */
export async function ensureCodeServer(say = (line) => console.error(line)) {
  if (isCodeServerInstalled()) return codeServerEntry();
  const missing = missingPrerequisites();
  if (missing.length > 0) throw new Error(`Cannot install code-server ${CODE_SERVER_VERSION}; missing: ${missing.join(', ')}. ${missingDepsHint}`);

  const finalDir = codeServerDir();
  const stagingDir = `${finalDir}.partial-${process.pid}`;
  const tmpDir = join(stagingDir, '.tmp');
  const logPath = join(cacheRoot(), `install-code-server-${CODE_SERVER_VERSION}.log`);
  rmSync(stagingDir, { recursive: true, force: true });
  mkdirSync(tmpDir, { recursive: true });
  writeFileSync(join(stagingDir, 'package.json'), `${JSON.stringify({ name: 'layerlab-e2e-code-server', private: true }, null, 2)}\n`);
  await seedRipgrepCache(tmpDir, /** @type {string} */ (findOnPath('rg')));

  const nodePrefix = dirname(dirname(process.execPath));
  const env = {
    ...process.env,
    TMPDIR: tmpDir,
    npm_config_unsafe_perm: 'true',
    npm_config_yes: 'true',
    // npm 11 skips dependency install scripts unless allowed, and code-server's
    // postinstall runs nested project-scoped `npm install`s (native modules,
    // ripgrep) where an --allow-scripts list is refused; the trees are pinned
    // by code-server's shrinkwrap files.
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    // node-gyp would otherwise download Node's headers, and only the npm registry is reachable.
    ...(!process.env['npm_config_nodedir'] && existsSync(join(nodePrefix, 'include', 'node', 'node.h')) ? { npm_config_nodedir: nodePrefix } : {}),
  };
  say(`Installing code-server ${CODE_SERVER_VERSION} into ${finalDir} (first run only, a few minutes; log: ${logPath})`);
  const log = createWriteStream(logPath);
  try {
    await run('npm', ['install', '--omit=dev', '--no-save', `code-server@${CODE_SERVER_VERSION}`], { cwd: stagingDir, env, log });
    const staged = join(stagingDir, 'node_modules', 'code-server');
    const rgBinary = join(staged, 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
    if (!existsSync(rgBinary)) throw new Error(`the install finished without ${rgBinary}`);
    // code-server writes a default config even for --version; keep it out of the home folder.
    const scratchEnv = { ...env, XDG_CONFIG_HOME: join(tmpDir, 'config'), XDG_DATA_HOME: join(tmpDir, 'data') };
    await run(process.execPath, [join(staged, 'out', 'node', 'entry.js'), '--version'], { cwd: stagingDir, env: scratchEnv, log });
  } catch (error) {
    log.end();
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Installing code-server ${CODE_SERVER_VERSION} failed: ${reason}\n--- last lines of ${logPath} ---\n${tail(logPath, 40)}`);
  }
  log.end();
  rmSync(tmpDir, { recursive: true, force: true });
  rmSync(finalDir, { recursive: true, force: true });
  renameSync(stagingDir, finalDir);
  writeFileSync(installedMarker(), `${CODE_SERVER_VERSION}\n`);
  say(`code-server ${CODE_SERVER_VERSION} installed.`);
  return codeServerEntry();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureCodeServer().then(
    (entry) => console.log(entry),
    (error) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
