// Bundles the entry points with esbuild. Type checking is `tsc` (npm test); this only emits.
//   dist/layerlab.mjs   the CLI (summary, lsp), ESM
//   dist/server.cjs     the language server started by the VS Code extension
//   dist/extension.cjs  the VS Code extension (vscode is provided by the editor)
//   dist/trainer.cjs    the training process, with TensorFlow.js and its wasm binaries (dist/*.wasm);
//                       the native @tensorflow/tfjs-node(-gpu) stay outside and are loaded when installed
//   media/dist/training-view.{js,css}  the training view (webview and HTML report), for the browser
//   media/dist/tune-view.{js,css}      the search view (webview and HTML report), for the browser
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: !production, minify: production, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: { layerlab: 'language-server/src/cli/bin.ts' }, format: 'esm', outdir: 'dist', outExtension: { '.js': '.mjs' }, banner: { js: '#!/usr/bin/env node\nimport { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' } }),
  build({ ...common, entryPoints: { server: 'language-server/src/lsp/bin.ts' }, format: 'cjs', outdir: 'dist', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { extension: 'extension/src/extension.ts' }, format: 'cjs', outdir: 'dist', outExtension: { '.js': '.cjs' }, external: ['vscode'] }),
  build({
    ...common,
    entryPoints: { trainer: 'language-server/src/training/trainer-main.ts' },
    format: 'cjs',
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    external: ['@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
    // The sources are ESM and use import.meta.url to find packages and files; in CommonJS that is this file's URL.
    define: { 'import.meta.url': '__layerlabModuleUrl' },
    banner: { js: 'const __layerlabModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  }),
  build({ entryPoints: { 'training-view': 'media/view/main.ts' }, bundle: true, format: 'iife', platform: 'browser', target: 'es2020', outdir: 'media/dist', sourcemap: false, minify: production, logLevel: 'warning' }),
  build({ entryPoints: { 'training-view': 'media/view/view.css' }, bundle: true, outdir: 'media/dist', minify: production, logLevel: 'warning' }),
  build({ entryPoints: { 'tune-view': 'media/tune-view/main.ts' }, bundle: true, format: 'iife', platform: 'browser', target: 'es2020', outdir: 'media/dist', sourcemap: false, minify: production, logLevel: 'warning' }),
  build({ entryPoints: { 'tune-view': 'media/tune-view/tune-view.css' }, bundle: true, outdir: 'media/dist', minify: production, logLevel: 'warning' }),
]);

// The WebAssembly kernels travel with the trainer, so a VSIX without node_modules trains too.
const wasmDir = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
mkdirSync('dist', { recursive: true });
for (const file of readdirSync(wasmDir).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, file), join('dist', file));
