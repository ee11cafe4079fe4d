// Packages the VS Code extension as a VSIX for one platform.
//
//   node scripts/package.mjs [--target T] [--out FILE]
//
// A platform's VSIX carries that platform's Dawn (the npm package `webgpu`: dawn.node,
// and on Windows its DirectX shader compilers), so that WebGPU training works on any
// GPU with no install step. T is a VS Code target: linux-x64, linux-arm64, darwin-x64,
// darwin-arm64, win32-x64, win32-arm64 (default: this machine's); `universal` packages
// without Dawn, for the platforms `webgpu` does not build for. The Marketplace serves
// each user the VSIX of their platform.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);

/** VS Code target → the folder of `webgpu`'s dist/ with its binaries. */
const DAWN_FOLDERS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-universal',
  'darwin-arm64': 'darwin-universal',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};

const { values } = parseArgs({ options: { target: { type: 'string' }, out: { type: 'string' } } });
const host = `${process.platform}-${process.arch}`;
const target = values.target ?? (host in DAWN_FOLDERS ? host : 'universal');
if (target !== 'universal' && !(target in DAWN_FOLDERS)) {
  console.error(`package: unknown target '${target}'; one of ${Object.keys(DAWN_FOLDERS).join(', ')}, universal`);
  process.exit(2);
}
const out = values.out ?? 'layerlab.vsix';

execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { stdio: 'inherit' });

// dist/webgpu/ holds the package as published, with one platform's binaries: the trainer
// loads dist/webgpu/index.js (language-server/src/training/backend/webgpu.ts).
const staged = join('dist', 'webgpu');
rmSync(staged, { recursive: true, force: true });
if (target !== 'universal') {
  const pkg = dirname(require.resolve('webgpu/package.json'));
  const folder = DAWN_FOLDERS[target];
  const binaries = join(pkg, 'dist', folder);
  if (!existsSync(join(binaries, 'dawn.node'))) {
    console.error(`package: ${binaries}/dawn.node is missing; reinstall with \`npm ci\` (webgpu is an optional dependency)`);
    process.exit(1);
  }
  mkdirSync(join(staged, 'dist'), { recursive: true });
  for (const file of ['index.js', 'package.json', 'LICENSE.md']) cpSync(join(pkg, file), join(staged, file));
  cpSync(binaries, join(staged, 'dist', folder), { recursive: true });
  console.error(`package: ${target} with Dawn from webgpu ${require('webgpu/package.json').version} (${readdirSync(binaries).join(', ')})`);
}

const vsce = join(dirname(require.resolve('@vscode/vsce/package.json')), 'vsce');
execFileSync(
  process.execPath,
  [vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', ...(target === 'universal' ? [] : ['--target', target]), '-o', out],
  { stdio: 'inherit' },
);
