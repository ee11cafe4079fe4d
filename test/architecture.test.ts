import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '../../..');
const source = join(root, 'language-server/src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function imports(path: string, includeTypeOnly = true): string[] {
  return [...readFileSync(path, 'utf8').matchAll(/^\s*(import|export)( type)?[^'"]*from\s+'([^']+)'/gm)].filter((m) => includeTypeOnly || !m[2]).map((m) => m[3] ?? '');
}

test('the analysis core never imports vscode, and nothing in the editor path imports TensorFlow.js', () => {
  for (const file of files(source)) {
    const trainer = relative(source, file).startsWith('training/');
    for (const target of imports(file)) assert.notEqual(target, 'vscode', `${relative(root, file)} imports vscode`);
    // The trainer loads TensorFlow.js at run time (training/backend); elsewhere not even its types.
    for (const target of imports(file, !trainer)) assert.ok(!target.startsWith('@tensorflow/'), `${relative(root, file)} imports ${target}`);
  }
});

test('only lsp/ speaks the protocol; syntax, catalog, analysis and features are protocol-free', () => {
  for (const file of files(source)) {
    const folder = relative(source, file).split('/')[0] ?? '';
    if (folder === 'lsp' || folder === 'cli') continue;
    for (const target of imports(file)) {
      assert.ok(!target.startsWith('vscode-languageserver'), `${relative(root, file)} imports ${target}`);
    }
  }
});

test('the layers flow one way: syntax ← catalog ← analysis ← features ← lsp/cli', () => {
  const rank: Record<string, number> = { text: 0, syntax: 1, catalog: 2, analysis: 3, workspace: 4, features: 4, training: 4, lsp: 5, cli: 6 };
  for (const file of files(source)) {
    const folder = relative(source, file).split('/')[0] ?? '';
    for (const target of imports(file).filter((t) => t.startsWith('.'))) {
      const resolved = relative(source, join(file, '..', target)).split('/')[0] ?? '';
      if (resolved === folder || !(resolved in rank) || !(folder in rank)) continue;
      // The catalog describes layers in terms of values; the one upward reference is to that type.
      if (folder === 'catalog' && resolved === 'analysis' && target.endsWith('values.js')) continue;
      assert.ok((rank[resolved] ?? 0) <= (rank[folder] ?? 0), `${relative(root, file)} (${folder}) imports ${target} (${resolved})`);
    }
  }
});

test('training reads tensors asynchronously: no synchronous read outside the wasm backend\'s own kernels', () => {
  // The WebGPU backend cannot read synchronously under Node.js (it needs OffscreenCanvas).
  for (const file of files(source)) {
    const path = relative(source, file);
    // The code that holds tensors: the trainer and the tuner (fs.readSync elsewhere is not a tensor read).
    if (!path.startsWith('training/') && !path.startsWith('tuning/')) continue;
    if (path.startsWith('training/backend/wasm')) continue;
    const text = readFileSync(file, 'utf8');
    for (const call of ['dataSync(', 'arraySync(', 'bufferSync(', 'readSync(']) assert.ok(!text.includes(call), `${relative(root, file)} calls ${call}`);
  }
});
