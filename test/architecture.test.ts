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

test('only lsp/ speaks LSP; syntax, catalog, analysis and features are protocol-free', () => {
  for (const file of files(source)) {
    const folder = relative(source, file).split('/')[0] ?? '';
    if (folder === 'lsp' || folder === 'cli') continue;
    for (const target of imports(file)) {
      assert.ok(!target.startsWith('vscode-languageserver'), `${relative(root, file)} imports ${target}`);
    }
  }
});

/**
 * Every folder of language-server/src and its rank: a folder imports only folders of a lower or equal
 * rank, and equal ranks never import each other (the folder graph has no cycle, checked below).
 */
const rank: Record<string, number> = {
  common: 0, // shared utilities with no Layerlab imports: atomic writes, the seeded RNG
  text: 0, // offset ↔ line/column
  syntax: 1,
  catalog: 2, // layers, data sets, training settings; the Value type of their arguments
  analysis: 3,
  'keras-import': 4, // Keras code and notebooks → .model text, read without running them (over catalog, syntax and analysis)
  workspace: 4, // open documents and their cached analyses
  features: 4, // protocol-free editor features
  training: 4, // one training run: data, model assembly, the loop, run records
  tuning: 5, // searches: they train each trial with training/
  graph: 5, // the model graph's layout (with the ELK engine it is given) and SVG drawing: the CLI's and the graph view's
  protocol: 6, // messages at each boundary, as types (and tiny validators) over the modules below
  report: 7,
  trainer: 7, // the trainer process (training and searches) and its launcher
  host: 8, // the extension's one entry into the core besides protocol/: re-exports of the host services
  lsp: 8,
  cli: 9,
};

function folderOf(path: string): string {
  return relative(source, path).split('/')[0] ?? '';
}

function resolvedImports(file: string, includeTypeOnly = true): string[] {
  return imports(file, includeTypeOnly)
    .filter((t) => t.startsWith('.'))
    .map((t) => join(file, '..', t.replace(/\.js$/, '.ts')));
}

/** The first cycle of `graph` found, as its nodes in order (first = last), or undefined. */
function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return undefined;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return undefined;
}

test('every folder of language-server/src has a rank', () => {
  const folders = readdirSync(source).filter((name) => statSync(join(source, name)).isDirectory());
  for (const folder of folders) assert.ok(folder in rank, `language-server/src/${folder}/ has no rank: add it to the rank table of test/architecture.test.ts, below the folders it imports and above those that import it`);
});

test('the layers flow one way: a folder imports only folders of lower or equal rank', () => {
  for (const file of files(source)) {
    const folder = folderOf(file);
    for (const target of resolvedImports(file)) {
      const to = folderOf(target);
      if (to === folder) continue;
      assert.ok((rank[to] ?? Infinity) <= (rank[folder] ?? -Infinity), `${relative(root, file)} (${folder}, rank ${rank[folder]}) imports ${relative(root, target)} (${to}, rank ${rank[to]})`);
    }
  }
});

test('no import cycles, between folders or between files', () => {
  const folders = new Map<string, Set<string>>();
  const modules = new Map<string, Set<string>>();
  for (const file of files(source)) {
    const from = folderOf(file);
    for (const target of resolvedImports(file)) {
      const to = folderOf(target);
      if (to !== from) (folders.get(from) ?? folders.set(from, new Set()).get(from))?.add(to);
      (modules.get(relative(source, file)) ?? modules.set(relative(source, file), new Set()).get(relative(source, file)))?.add(relative(source, target));
    }
  }
  const folderCycle = findCycle(folders);
  assert.equal(folderCycle, undefined, `the folders import each other: ${folderCycle?.join(' → ')}`);
  const fileCycle = findCycle(modules);
  assert.equal(fileCycle, undefined, `the files import each other: ${fileCycle?.join(' → ')}`);
});

/**
 * The two ways into the core from outside language-server/src: protocol/ (the messages at each
 * boundary, which the views' browser bundles import too) and host/ (the host services the
 * extension calls: starting the trainer, reading saved folders, progress in words).
 */
const entries: Readonly<Record<'extension' | 'media', readonly string[]>> = {
  extension: ['protocol/', 'host/'],
  media: ['protocol/'],
};

test('extension/ imports the core only through protocol/ and host/, and media/ only through protocol/', () => {
  for (const [part, dir] of [
    ['extension', join(root, 'extension/src')],
    ['media', join(root, 'media')],
  ] as const) {
    for (const file of files(dir)) {
      for (const target of resolvedImports(file)) {
        const path = relative(source, target);
        if (path.startsWith('..')) continue;
        assert.ok(
          entries[part].some((folder) => path.startsWith(folder)),
          `${relative(root, file)} imports language-server/src/${path}: ${part}/ imports the core through ${entries[part].map((folder) => `language-server/src/${folder}`).join(' and ')} only${part === 'extension' ? ' (re-export a host service from host/index.ts)' : ''}`,
        );
      }
    }
  }
});

test('host/ only re-exports: it names the services the extension uses and holds no code of its own', () => {
  for (const file of files(join(source, 'host'))) {
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    const rest = text.replace(/^export( type)? \{[^}]*\} from '[^']+';$/gm, '').trim();
    assert.equal(rest, '', `${relative(root, file)} holds more than re-exports (export { … } from '…';)`);
  }
});

/** A module's run-time imports that are Layerlab modules, as paths; packages and `node:` modules as they are written. */
function runTimeImports(file: string): string[] {
  return imports(file, false).map((t) => (t.startsWith('.') ? join(file, '..', t.replace(/\.js$/, '.ts')) : t));
}

const inGraph = (path: string): boolean => relative(source, path).startsWith('graph/');

test('protocol modules hold types and tiny validators: at run time they import only modules that import nothing, and the graph drawing', () => {
  // The views' browser bundles and the extension import them: a run-time import must not pull in Node.js or the analysis.
  for (const file of files(join(source, 'protocol'))) {
    for (const target of runTimeImports(file)) {
      const allowed = target.startsWith('/') && (imports(target).length === 0 || inGraph(target));
      assert.ok(allowed, `${relative(root, file)} imports ${target} at run time; a protocol module imports types, or constants from a module with no imports, or graph/'s drawing`);
    }
  }
});

test('graph/ runs in a browser: at run time it imports graph/ modules and modules that import nothing (the ELK engine is passed in)', () => {
  for (const file of files(join(source, 'graph'))) {
    for (const target of runTimeImports(file)) {
      const allowed = target.startsWith('/') && (inGraph(target) || imports(target).length === 0);
      assert.ok(allowed, `${relative(root, file)} imports ${target} at run time; graph/ is bundled into the graph view: no packages, no Node.js, no analysis`);
    }
  }
});

test('the language server never lays out a graph: nothing lsp/ imports reaches graph/ or elkjs', () => {
  const seen = new Set<string>();
  const stack = files(join(source, 'lsp'));
  while (stack.length) {
    const file = stack.pop() ?? '';
    if (seen.has(file)) continue;
    seen.add(file);
    for (const target of runTimeImports(file)) {
      assert.ok(!target.startsWith('elkjs'), `${relative(root, file)} imports ${target}: the layout runs in the graph view and the CLI, never in the language server`);
      if (!target.startsWith('/')) continue;
      assert.ok(!inGraph(target), `${relative(root, file)} imports ${relative(root, target)}: the layout runs in the graph view and the CLI, never in the language server`);
      stack.push(target);
    }
  }
});

test('training reads tensors asynchronously: no synchronous read outside the wasm backend\'s own kernels', () => {
  // The WebGPU backend cannot read synchronously under Node.js (it needs OffscreenCanvas).
  for (const file of files(source)) {
    const path = relative(source, file);
    // The code that holds tensors: the trainer and the tuner (fs.readSync elsewhere is not a tensor read).
    if (!path.startsWith('training/') && !path.startsWith('tuning/') && !path.startsWith('trainer/')) continue;
    if (path.startsWith('training/backend/wasm')) continue;
    const text = readFileSync(file, 'utf8');
    for (const call of ['dataSync(', 'arraySync(', 'bufferSync(', 'readSync(']) assert.ok(!text.includes(call), `${relative(root, file)} calls ${call}`);
  }
});
