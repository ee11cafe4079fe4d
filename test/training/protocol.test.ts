/** The trainer's start message: what the parent may send, checked before the trainer acts on it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backendSettings } from '../../language-server/src/training/launch.js';
import { isToTrainer } from '../../language-server/src/training/protocol.js';

const request = { file: '/p/net.model', text: 'model m {}' };

test('a start message carries the backend and, when set, the wasm threads', () => {
  assert.deepEqual(backendSettings({ trainerPath: 't', backend: 'wasm', threads: 3 }), { backend: 'wasm', threads: 3 });
  assert.deepEqual(backendSettings({ trainerPath: 't', backend: 'auto', threads: 0 }), { backend: 'auto' });
  assert.deepEqual(backendSettings({ trainerPath: 't', backend: 'auto', nativeModulesPath: '/n' }), { backend: 'auto', nativeModulesPath: '/n' });
});

test('the trainer accepts whole, non-negative thread counts only', () => {
  assert.equal(isToTrainer({ type: 'start', request, backend: 'auto' }), true);
  assert.equal(isToTrainer({ type: 'start', request, backend: 'auto', threads: 2 }), true);
  assert.equal(isToTrainer({ type: 'tune', request, backend: 'wasm', threads: 0 }), true);
  for (const threads of [-1, 1.5, '2', null]) assert.equal(isToTrainer({ type: 'start', request, backend: 'auto', threads }), false, String(threads));
  assert.equal(isToTrainer({ type: 'start', request, backend: 'gpu' }), false);
});
