/** The trainer's start message: what the parent may send, checked before the trainer acts on it. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { backendSettings } from '../../language-server/src/trainer/launch.js';
import { backendPreferences, isToTrainer } from '../../language-server/src/protocol/trainer.js';

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

test('the backends the trainer accepts are the setting\'s choices, in auto\'s order, each described', () => {
  const manifest = JSON.parse(readFileSync(join(fileURLToPath(import.meta.url), '../../../../package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { enum?: string[]; enumDescriptions?: string[] }> } };
  };
  const setting = manifest.contributes.configuration.properties['layerlab.training.backend'];
  assert.deepEqual(setting?.enum, [...backendPreferences]);
  assert.equal(setting?.enumDescriptions?.length, backendPreferences.length);
  assert.equal(isToTrainer({ type: 'start', request, backend: 'webgpu' }), true);
});

test('Restricted Mode: the extension declares limited support, and the folder of native modules is a restricted setting', () => {
  const manifest = JSON.parse(readFileSync(join(fileURLToPath(import.meta.url), '../../../../package.json'), 'utf8')) as {
    capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: string; restrictedConfigurations?: string[] } };
  };
  const untrusted = manifest.capabilities?.untrustedWorkspaces;
  assert.equal(untrusted?.supported, 'limited');
  assert.match(untrusted?.description ?? '', /training and tuning are off/);
  assert.deepEqual(untrusted?.restrictedConfigurations, ['layerlab.training.nativeModulesPath']);
  // The extension offers Train and Tune lenses only in a trusted workspace, and its commands refuse otherwise.
  const extension = readFileSync(join(fileURLToPath(import.meta.url), '../../../../extension/src/extension.ts'), 'utf8');
  assert.match(extension, /trainAvailable: vscode\.workspace\.isTrusted, clientCommands: true/);
  const trainerProcess = readFileSync(join(fileURLToPath(import.meta.url), '../../../../extension/src/trainer-process.ts'), 'utf8');
  assert.match(trainerProcess, /if \(!vscode\.workspace\.isTrusted\)/);
});
