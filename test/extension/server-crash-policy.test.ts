/** When the language server dies: restart it, say so once a session, stop after 5 crashes in 3 minutes. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ServerCrashPolicy } from '../../extension/src/server-crash-policy.js';

const minute = 60_000;

function clocked(): { policy: ServerCrashPolicy; advance: (ms: number) => void } {
  let now = 1_000_000;
  return { policy: new ServerCrashPolicy({ now: () => now }), advance: (ms) => (now += ms) };
}

test('the first crash restarts the server with a notice; later ones restart it silently', () => {
  const { policy, advance } = clocked();
  assert.deepEqual(policy.closed(), { keep: true, notice: 'restarted' });
  // Far apart, so the window never fills: still restarted, never said again.
  for (let i = 0; i < 10; i++) {
    advance(4 * minute);
    assert.deepEqual(policy.closed(), { keep: true, notice: undefined }, `crash ${i + 2}`);
  }
});

test('the fifth crash within 3 minutes is not restarted, and says so', () => {
  const { policy, advance } = clocked();
  const verdicts = [];
  for (let i = 0; i < 5; i++) {
    verdicts.push(policy.closed());
    advance(40_000);
  }
  assert.deepEqual(verdicts, [
    { keep: true, notice: 'restarted' },
    { keep: true, notice: undefined },
    { keep: true, notice: undefined },
    { keep: true, notice: undefined },
    { keep: false, notice: 'gave-up' },
  ]);
});

test('the window slides: crashes older than 3 minutes no longer count', () => {
  const { policy, advance } = clocked();
  for (let i = 0; i < 4; i++) {
    policy.closed();
    advance(50_000);
  }
  // The first crash was 200 s ago, out of the window: four in it with this one.
  assert.deepEqual(policy.closed(), { keep: true, notice: undefined });
  advance(1_000);
  // The second crash (at 50 s) is 151 s old: five in the window.
  assert.deepEqual(policy.closed(), { keep: false, notice: 'gave-up' });
});

test('after giving up, the next start is a fresh one: its crashes count from zero', () => {
  const { policy, advance } = clocked();
  for (let i = 0; i < 5; i++) policy.closed();
  advance(1_000);
  for (let i = 0; i < 4; i++) assert.equal(policy.closed().keep, true, `crash ${i + 1} after the restart`);
  assert.deepEqual(policy.closed(), { keep: false, notice: 'gave-up' });
});

test('a restart by the user forgets the crashes before it', () => {
  const { policy } = clocked();
  for (let i = 0; i < 4; i++) policy.closed();
  policy.restartedByUser();
  for (let i = 0; i < 4; i++) assert.deepEqual(policy.closed(), { keep: true, notice: undefined });
});

test('a close the extension asked for is no crash: not restarted, not said, not counted', async () => {
  const { policy } = clocked();
  const during = await policy.stopping(async () => policy.closed());
  assert.deepEqual(during, { keep: false, notice: undefined });
  // The first real crash is still the one that is said.
  assert.deepEqual(policy.closed(), { keep: true, notice: 'restarted' });
  for (let i = 0; i < 3; i++) await policy.stopping(async () => policy.closed());
  for (let i = 0; i < 3; i++) assert.equal(policy.closed().keep, true, `crash ${i + 2}`);
  assert.deepEqual(policy.closed(), { keep: false, notice: 'gave-up' });
});

test('a stop that fails still ends the stopping', async () => {
  const { policy } = clocked();
  await assert.rejects(policy.stopping(async () => Promise.reject(new Error('not running'))), /not running/);
  assert.deepEqual(policy.closed(), { keep: true, notice: 'restarted' });
});

test('connection errors: the first three are tolerated, the fourth shuts the server down, said once', () => {
  const { policy } = clocked();
  for (const count of [undefined, 1, 2, 3]) assert.deepEqual(policy.errored(count), { keep: true, notice: undefined }, String(count));
  assert.deepEqual(policy.errored(4), { keep: false, notice: 'connection-failing' });
  assert.deepEqual(policy.errored(5), { keep: false, notice: undefined });
  // A read error has no count: never a reason to shut down.
  assert.deepEqual(policy.errored(undefined), { keep: true, notice: undefined });
});
