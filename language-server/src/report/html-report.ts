import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViewRun } from '../protocol/views.js';

export interface ReportOptions {
  readonly title: string;
  readonly runs: readonly ViewRun[];
  /** The folder with training-view.js and training-view.css (default: the package's media/dist). */
  readonly assetsDir?: string;
}

/**
 * The folder of the package.json named "layerlab" above `from`: this module runs
 * compiled (out/language-server/src/report/) and bundled (dist/layerlab.mjs).
 */
export function findPackageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown };
        if (parsed.name === 'layerlab') return dir;
      } catch {
        // Not ours; keep walking up.
      }
    }
    if (dirname(dir) === dir) throw new Error(`cannot find the layerlab package folder above ${from}`);
  }
}

/** A built front end in media/dist (`training-view.js`, `tune-view.css`, …). */
export function readAsset(dir: string, name: string): string {
  const path = join(dir, name);
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new Error(`${path}: the views are not built (run \`node scripts/build.mjs\`)`);
  }
}

const sha256 = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Text that cannot end the element it is inlined in, nor open an HTML comment. */
const inlineScript = (code: string): string => code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
const inlineStyle = (css: string): string => css.replace(/<\/(style)/gi, '<\\/$1');

/** JSON for a `<script type="application/json">` block: `<` escaped so no tag can close it. */
export function embeddedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * A view as one self-contained HTML file: its script, stylesheet and data inline,
 * and a CSP that allows exactly those inline blocks (by hash) and nothing remote.
 */
export function selfContainedPage(page: { readonly title: string; readonly script: string; readonly style: string; readonly data: unknown }): string {
  const script = inlineScript(page.script);
  const style = inlineStyle(page.style);
  const csp = [`default-src 'none'`, `img-src data: blob:`, `style-src ${sha256(style)}`, `script-src ${sha256(script)}`, `base-uri 'none'`, `form-action 'none'`].join('; ');
  return `<!DOCTYPE html>
<html lang="en" class="layerlab-report">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Layerlab">
<title>${escapeHtml(page.title)}</title>
<style>${style}</style>
</head>
<body>
<div id="app"></div>
<script type="application/json" id="layerlab-data">${embeddedJson(page.data)}</script>
<script>${script}</script>
</body>
</html>
`;
}

/** The training view of these runs as one self-contained HTML file. */
export function renderReport(options: ReportOptions): string {
  const assets = options.assetsDir ?? join(findPackageRoot(), 'media', 'dist');
  return selfContainedPage({
    title: options.title,
    script: readAsset(assets, 'training-view.js'),
    style: readAsset(assets, 'training-view.css'),
    data: { title: options.title, runs: options.runs },
  });
}
