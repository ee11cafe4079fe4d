// @ts-check
// Starts code-server in its own process group on 127.0.0.1 and stops that whole group.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * @typedef {object} CodeServer
 * @property {number} port
 * @property {string} logPath
 * @property {Promise<number | null>} exited resolves with the exit code when the server stops
 * @property {() => Promise<void>} stop ends every process of its group
 * @property {() => void} killNow SIGKILL to the group, synchronous (for process 'exit')
 * @property {(timeoutMs: number) => Promise<void>} waitUntilReady resolves once /healthz answers
 */

/** @returns {Promise<number>} */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Settings that keep the workbench quiet: no welcome page, no trust prompt, no update or telemetry traffic. */
const quietSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'editor.inlayHints.enabled': 'on',
  // The fixture lies inside this repository; no prompt to open it over the screenshots.
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Restricted Mode: workspace trust on, and the workspace (a fresh profile)
 * not trusted, without the modal startup prompt that would wait for a click.
 */
const restrictedSettings = {
  ...quietSettings,
  'security.workspace.trust.enabled': true,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
  'security.workspace.trust.emptyWindow': false,
  'security.workspace.trust.banner': 'always',
};

/**
 * @param {string} logPath @param {number} lines
 */
function logTail(logPath, lines) {
  try {
    return readFileSync(logPath, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * @param {object} options
 * @param {string} options.entry code-server's out/node/entry.js
 * @param {string} options.scratch folder for its profile, config, data and temp files
 * @param {string} options.userDataDir
 * @param {string} options.extensionsDir
 * @param {NodeJS.ProcessEnv} options.env extra environment (reaches the extension host)
 * @param {boolean} [options.restricted] workspace trust enabled and the workspace not trusted (Restricted Mode); else trust is off, so everything is trusted
 * @returns {Promise<CodeServer>} as soon as it is spawned, so the caller can stop it whatever happens next
 */
export async function startCodeServer({ entry, scratch, userDataDir, extensionsDir, env, restricted = false }) {
  const port = await freePort();
  const dirs = { config: join(scratch, 'xdg-config'), data: join(scratch, 'xdg-data'), tmp: join(scratch, 'tmp') };
  for (const dir of [...Object.values(dirs), userDataDir, extensionsDir, join(userDataDir, 'User')]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(restricted ? restrictedSettings : quietSettings, null, 2));

  const logPath = join(scratch, 'code-server.log');
  const log = createWriteStream(logPath);
  const args = [
    entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir,
    '--disable-telemetry',
    '--disable-update-check',
    ...(restricted ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
  ];
  // detached: a process group of its own, so stop() reaches the extension host and the language server too.
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data, TMPDIR: dirs.tmp },
  });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  const pid = child.pid;
  if (pid === undefined) throw new Error('code-server did not start (no process id)');

  /** @type {Promise<number | null>} */
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  let stopped = false;
  /** @param {NodeJS.Signals} signal */
  const signalGroup = (signal) => {
    // Once stopped, the group id may belong to someone else.
    if (stopped) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // the group is already gone
    }
  };
  const stop = async () => {
    signalGroup('SIGTERM');
    await Promise.race([exited, sleep(3000)]);
    // The group can outlive its leader (extension host, language server), so always finish with SIGKILL.
    signalGroup('SIGKILL');
    stopped = true;
    log.end();
  };

  /** @param {number} timeoutMs */
  const waitUntilReady = async (timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!running) throw new Error(`code-server exited before it was ready.\n--- ${logPath} ---\n${logTail(logPath, 30)}`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(`code-server was not ready on 127.0.0.1:${port} after ${timeoutMs / 1000} s.\n--- ${logPath} ---\n${logTail(logPath, 30)}`);
  };
  return { port, logPath, exited, stop, killNow: () => signalGroup('SIGKILL'), waitUntilReady };
}
