// @ts-check
// Where the end-to-end suite keeps code-server and which browser it drives.
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Its VS Code is 1.100, the oldest one package.json's engines.vscode (^1.100.0) accepts. */
export const CODE_SERVER_VERSION = '4.100.3';

/** Cache root, like test-electron's .vscode-test: LAYERLAB_E2E_CACHE, else ~/.cache/layerlab-e2e. */
export function cacheRoot() {
  const explicit = process.env['LAYERLAB_E2E_CACHE'];
  if (explicit) return explicit;
  return join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'layerlab-e2e');
}

export function codeServerDir() {
  return join(cacheRoot(), `code-server-${CODE_SERVER_VERSION}`);
}

/** The script npm's `code-server` bin points at; run it with the current node. */
export function codeServerEntry() {
  return join(codeServerDir(), 'node_modules', 'code-server', 'out', 'node', 'entry.js');
}

/** Written last by the installer, so a half-finished install never counts. */
export function installedMarker() {
  return join(codeServerDir(), '.installed');
}

export function isCodeServerInstalled() {
  return existsSync(installedMarker()) && existsSync(codeServerEntry());
}

const chromiumCandidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

/** CHROMIUM_PATH, else Debian's chromium; undefined when there is none. */
export function findChromium() {
  const explicit = process.env['CHROMIUM_PATH'];
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  return chromiumCandidates.find((path) => existsSync(path));
}

export const missingDepsHint = 'Install the system packages with `.ci/e2e-deps.sh` (as root or with sudo) (Debian: chromium, ripgrep, libkrb5-dev, build tools).';
