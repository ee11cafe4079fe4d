// Bundles the entry points with esbuild. Type checking is `tsc` (npm test); this only emits.
import { build } from 'esbuild';

const production = process.argv.includes('--production');

await build({
  entryPoints: { layerlab: 'language-server/src/cli/bin.ts' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  sourcemap: !production,
  minify: production,
  banner: { js: '#!/usr/bin/env node' },
  logLevel: 'warning',
});
