// Bundles the entry points with esbuild. Type checking is `tsc` (npm test); this only emits.
//   dist/layerlab.mjs   the CLI (summary, graph, lsp, …), ESM, with elkjs for `graph`
//   dist/server.cjs     the language server started by the VS Code extension
//   dist/extension.cjs  the VS Code extension (vscode is provided by the editor)
//   dist/trainer.cjs    the training process, with TensorFlow.js and its wasm binaries (dist/*.wasm);
//                       the native @tensorflow/tfjs-node(-gpu) stay outside and are loaded when installed
//   media/dist/training-view.{js,css}  the training view (webview and HTML report), for the browser
//   media/dist/tune-view.{js,css}      the search view (webview and HTML report), for the browser
//   media/dist/graph-view.{js,css}     the model graph view (webview), with elkjs's bundled build, for the browser
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { nodeThreadFiles, patchWasmBackendForNode } from './wasm-node-threads.mjs';

const require = createRequire(import.meta.url);
const wasmPackageDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));

/** The trainer bundles tfjs-backend-wasm with its threads made to work under Node (scripts/wasm-node-threads.mjs). */
const wasmNodeThreads = {
  name: 'wasm-node-threads',
  setup(pluginBuild) {
    pluginBuild.onLoad({ filter: /tfjs-backend-wasm[\\/]dist[\\/]tf-backend-wasm\.node\.js$/ }, (args) => ({
      contents: patchWasmBackendForNode(readFileSync(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

const production = process.argv.includes('--production');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: !production, minify: production, logLevel: 'warning' };

/** What the trainer's bundle and the training benchmark's share: TensorFlow.js with threaded wasm, native packages outside. */
const trainerBundle = {
  ...common,
  outdir: 'dist',
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  plugins: [wasmNodeThreads],
  // The sources are ESM and use import.meta.url to find packages and files; in CommonJS that is this file's URL.
  define: { 'import.meta.url': '__layerlabModuleUrl' },
  banner: { js: 'const __layerlabModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
};

await Promise.all([
  // resvg (PNG for `layerlab graph`) is a native optional dependency, loaded where installed.
  build({ ...common, entryPoints: { layerlab: 'language-server/src/cli/bin.ts' }, format: 'esm', outdir: 'dist', outExtension: { '.js': '.mjs' }, external: ['@resvg/resvg-js'], banner: { js: '#!/usr/bin/env node\nimport { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' } }),
  build({ ...common, entryPoints: { server: 'language-server/src/lsp/bin.ts' }, format: 'cjs', outdir: 'dist', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { extension: 'extension/src/extension.ts' }, format: 'cjs', outdir: 'dist', outExtension: { '.js': '.cjs' }, external: ['vscode'] }),
  build({
    ...trainerBundle,
    entryPoints: { trainer: 'language-server/src/trainer/main.ts' },
  }),
  // bench:train runs bundled, so that it measures the same threaded backend as the trainer.
  build({ ...trainerBundle, entryPoints: { 'bench-train': 'scripts/bench-train.ts' } }),
  build({ entryPoints: { 'training-view': 'media/view/main.ts' }, bundle: true, format: 'iife', platform: 'browser', target: 'es2020', outdir: 'media/dist', sourcemap: false, minify: production, logLevel: 'warning' }),
  build({ entryPoints: { 'training-view': 'media/view/view.css' }, bundle: true, outdir: 'media/dist', minify: production, logLevel: 'warning' }),
  build({ entryPoints: { 'tune-view': 'media/tune-view/main.ts' }, bundle: true, format: 'iife', platform: 'browser', target: 'es2020', outdir: 'media/dist', sourcemap: false, minify: production, logLevel: 'warning' }),
  build({ entryPoints: { 'tune-view': 'media/tune-view/tune-view.css' }, bundle: true, outdir: 'media/dist', minify: production, logLevel: 'warning' }),
  build({ entryPoints: { 'graph-view': 'media/graph-view/main.ts' }, bundle: true, format: 'iife', platform: 'browser', target: 'es2020', outdir: 'media/dist', sourcemap: false, minify: production, logLevel: 'warning' }),
  build({ entryPoints: { 'graph-view': 'media/graph-view/graph-view.css' }, bundle: true, outdir: 'media/dist', minify: production, logLevel: 'warning' }),
]);

// The WebAssembly kernels travel with the trainer, so a VSIX without node_modules trains too,
// with the two scripts its threads load under Node.
const wasmDir = join(wasmPackageDir, 'dist');
mkdirSync('dist', { recursive: true });
for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, file), join('dist', file));
for (const [file, text] of Object.entries(nodeThreadFiles(wasmPackageDir, require))) writeFileSync(join('dist', file), text);
