// Bundles the entry points with esbuild. Type checking is `tsc` (npm test); this only emits.
//   dist/layerlab.mjs   the CLI (summary, lsp), ESM
//   dist/server.cjs     the language server started by the VS Code extension
//   dist/extension.cjs  the VS Code extension (vscode is provided by the editor)
import { build } from 'esbuild';

const production = process.argv.includes('--production');
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: !production, minify: production, logLevel: 'warning' };

await Promise.all([
  build({ ...common, entryPoints: { layerlab: 'language-server/src/cli/bin.ts' }, format: 'esm', outdir: 'dist', outExtension: { '.js': '.mjs' }, banner: { js: '#!/usr/bin/env node\nimport { createRequire as __createRequire } from "node:module"; const require = __createRequire(import.meta.url);' } }),
  build({ ...common, entryPoints: { server: 'language-server/src/lsp/bin.ts' }, format: 'cjs', outdir: 'dist', outExtension: { '.js': '.cjs' } }),
  build({ ...common, entryPoints: { extension: 'extension/src/extension.ts' }, format: 'cjs', outdir: 'dist', outExtension: { '.js': '.cjs' }, external: ['vscode'] }),
]);
