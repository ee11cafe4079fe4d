import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { relaunchWithServerFlags, serverNodeFlags } from '../../language-server/src/lsp/node-flags.js';
import { LspClient } from './client.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');

test('the CLI server starts again with the server flags it lacks', () => {
  assert.deepEqual([...serverNodeFlags], ['--max-semi-space-size=64', '--expose-gc']);
  assert.deepEqual(relaunchWithServerFlags(['--enable-source-maps'], undefined, '/x/layerlab.mjs', ['lsp', '--stdio']), [
    '--enable-source-maps',
    '--max-semi-space-size=64',
    '--expose-gc',
    '/x/layerlab.mjs',
    'lsp',
    '--stdio',
  ]);
  // A size the user chose, on the command line or in NODE_OPTIONS, is kept.
  assert.deepEqual(relaunchWithServerFlags(['--max-semi-space-size=8'], undefined, 's', ['lsp', '--stdio']), ['--max-semi-space-size=8', '--expose-gc', 's', 'lsp', '--stdio']);
  assert.deepEqual(relaunchWithServerFlags([], '--max-old-space-size=4096 --max-semi-space-size=8', 's', ['lsp', '--stdio']), ['--expose-gc', 's', 'lsp', '--stdio']);
  assert.equal(relaunchWithServerFlags(['--expose-gc'], '--max-semi-space-size=8', 's', ['lsp', '--stdio']), undefined);
  // Over an IPC channel the client that opened it chose the flags; a new process would not inherit the channel.
  assert.equal(relaunchWithServerFlags([], undefined, 's', ['lsp', '--node-ipc']), undefined);
});

/** The command lines of the child processes of `pid`, from Linux's /proc. */
function childCommandLines(pid: number): string[][] {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return children.map((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').filter(Boolean));
}

test('`layerlab lsp --stdio` serves over stdio from a process with the server flags', { skip: !existsSync('/proc/self/task') && 'needs /proc' }, async () => {
  const client = await LspClient.start({ entry: join(root, 'out/language-server/src/cli/bin.js'), args: ['lsp', '--stdio'] });
  try {
    const pid = client.process.pid ?? -1;
    const servers = childCommandLines(pid);
    assert.equal(servers.length, 1, 'the CLI runs the server in one child process');
    for (const flag of serverNodeFlags) assert.ok(servers[0]?.includes(flag), `server command line: ${servers[0]?.join(' ')}`);
    const uri = 'file:///flags.model';
    await client.open(uri, 'model m {\n  input (4,)\n  Dense(3)\n  Dense(2, activation=softmax, bogus=1)\n}\n');
    const published = await client.diagnosticsFor(uri, 1);
    assert.equal(published.diagnostics.length, 1);
    assert.match(String(published.diagnostics[0]?.message ?? ''), /no argument `bogus`/);
    assert.equal(published.diagnostics[0]?.range.start.line, 3);
  } finally {
    await client.stop();
  }
  assert.equal(client.process.exitCode, 0, 'the CLI exits with the server');
});
