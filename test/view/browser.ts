import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, before, type TestContext } from 'node:test';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PNG } from 'pngjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const artifactsDir = join(repoRoot, 'test', 'view', 'artifacts');

/** Chromium to drive: LAYERLAB_CHROMIUM, or the distribution's. */
export function chromiumPath(): string | undefined {
  const candidates = [process.env['LAYERLAB_CHROMIUM'], '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((path): path is string => path !== undefined && path !== '' && existsSync(path));
}

export interface ViewAssets {
  readonly dir: string;
  readonly js: string;
  readonly css: string;
}

/** One of the two webview bundles, and what its tests need to know of it. */
export interface ViewBundle {
  /** The bundle's file name in media/dist (without .js / .css). */
  readonly name: 'training-view' | 'tune-view' | 'graph-view';
  readonly entry: string;
  readonly css: string;
  /** The window global with the view's debug API. */
  readonly debugGlobal: '__layerlabView' | '__layerlabTuneView' | '__layerlabGraphView';
  readonly viewportWidth: number;
}

export const trainingView: ViewBundle = { name: 'training-view', entry: 'media/view/main.ts', css: 'media/view/view.css', debugGlobal: '__layerlabView', viewportWidth: 1200 };
export const graphView: ViewBundle = { name: 'graph-view', entry: 'media/graph-view/main.ts', css: 'media/graph-view/graph-view.css', debugGlobal: '__layerlabGraphView', viewportWidth: 1000 };
export const tuneView: ViewBundle = { name: 'tune-view', entry: 'media/tune-view/main.ts', css: 'media/tune-view/tune-view.css', debugGlobal: '__layerlabTuneView', viewportWidth: 1280 };

const assets = new Map<string, Promise<ViewAssets>>();

/** A view bundle built fresh from its sources (as scripts/build.mjs does), so tests never see a stale media/dist. */
export function bundleAssets(bundle: ViewBundle): Promise<ViewAssets> {
  let built = assets.get(bundle.name);
  if (!built) {
    built = (async () => {
      const dir = join(tmpdir(), `layerlab-${bundle.name === 'training-view' ? 'view' : bundle.name}-test-${process.pid}`);
      mkdirSync(dir, { recursive: true });
      await Promise.all([
        build({ absWorkingDir: repoRoot, entryPoints: { [bundle.name]: bundle.entry }, bundle: true, format: 'iife', platform: 'browser', target: 'es2020', outdir: dir, logLevel: 'error' }),
        build({ absWorkingDir: repoRoot, entryPoints: { [bundle.name]: bundle.css }, bundle: true, outdir: dir, logLevel: 'error' }),
      ]);
      return { dir, js: readFileSync(join(dir, `${bundle.name}.js`), 'utf8'), css: readFileSync(join(dir, `${bundle.name}.css`), 'utf8') };
    })();
    assets.set(bundle.name, built);
  }
  return built;
}

/** The training view's bundle. */
export const viewAssets = (): Promise<ViewAssets> => bundleAssets(trainingView);

export function launchChromium(path: string): Promise<Browser> {
  return chromium.launch({ executablePath: path, args: ['--no-sandbox', '--disable-gpu'] });
}

/** One Chromium for the test file (launched before its tests, closed after); returns `needBrowser`: the browser, or a skip when there is no Chromium here. */
export function useBrowser(): (t: TestContext) => Browser | undefined {
  const path = chromiumPath();
  let browser: Browser | undefined;
  before(async () => {
    if (path) browser = await launchChromium(path);
  });
  after(async () => {
    await browser?.close();
  });
  return (t) => {
    if (!browser) t.skip('no Chromium: set LAYERLAB_CHROMIUM or install /usr/bin/chromium');
    return browser;
  };
}

const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Asserts a report is one self-contained file (inline bundle and style, hashes in its CSP, nothing remote); returns its parsed data block. */
export function assertSelfContained(html: string, js: string): unknown {
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i, 'no remote src/href');
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /<script[^>]*\bsrc=/i);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  const script = /<script>([\s\S]*)<\/script>\n<\/body>/.exec(html)?.[1] ?? '';
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  assert.ok(script.length > 10_000 && style.length > 1_000);
  assert.ok(csp.includes(`script-src ${cspHash(script)}`), 'the script hash is in the CSP');
  assert.ok(csp.includes(`style-src ${cspHash(style)}`), 'the style hash is in the CSP');
  assert.equal(script.length, js.length, 'the bundle is inlined whole');
  const data = /<script type="application\/json" id="layerlab-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  assert.ok(!data.includes('<'), 'no < in the data block');
  return JSON.parse(data) as unknown;
}

export interface ReportPage {
  readonly page: Page;
  /** The file's URL, to open it again. */
  readonly url: string;
  /** Page errors and console errors. */
  readonly problems: string[];
  /** Requests for anything but file:, data: and blob: URLs. */
  readonly remote: string[];
}

/** Writes a report to a temporary file and opens it in a page that accepts downloads and records problems and remote requests, once its view is up. */
export async function openReport(browser: Browser, html: string, fileName: string, bundle: ViewBundle): Promise<ReportPage> {
  const reportDir = join(tmpdir(), `layerlab-${bundle.name === 'training-view' ? 'report' : 'tune-report'}-${process.pid}`);
  mkdirSync(reportDir, { recursive: true });
  const file = join(reportDir, fileName);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  const remote: string[] = [];
  page.on('request', (request) => {
    if (!/^(file|data|blob):/.test(request.url())) remote.push(request.url());
  });
  const url = pathToFileURL(file).href;
  await page.goto(url);
  await waitForGlobal(page, bundle.debugGlobal);
  return { page, url, problems, remote };
}

/** Dark theme variables as VS Code sets them (Dark Modern), on body. */
export const darkThemeVariables: Readonly<Record<string, string>> = {
  '--vscode-editor-foreground': '#cccccc',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-red': '#f14c4c',
  '--vscode-button-background': '#0078d4',
  '--vscode-button-foreground': '#ffffff',
  '--vscode-button-secondaryBackground': '#313131',
  '--vscode-button-secondaryForeground': '#cccccc',
};

export interface WebviewOptions {
  /** What getState returns at start. */
  readonly state?: unknown;
  readonly dark?: boolean;
}

/** An `export` message the view posted. */
export interface PostedExport {
  readonly type: string;
  readonly fileName: string;
  readonly data: string;
  readonly encoding: string;
}

/** A view in a page shaped like the extension's webview: its CSP, a nonce, and a fake acquireVsCodeApi that records. */
export class WebviewPage {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  private constructor(
    readonly page: Page,
    private readonly bundle: ViewBundle,
  ) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
      if (message.type() === 'warning') this.warnings.push(message.text());
    });
  }

  /** Opens `bundle` (the training view unless told) in a new page. */
  static async open(browser: Browser, options: WebviewOptions = {}, bundle: ViewBundle = trainingView): Promise<WebviewPage> {
    const { js, css } = await bundleAssets(bundle);
    const page = await browser.newPage({ viewport: { width: bundle.viewportWidth, height: 900 } });
    const view = new WebviewPage(page, bundle);
    const nonce = 'dGVzdG5vbmNl';
    const fake = `window.__posted = []; window.__states = []; window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
let saved = ${JSON.stringify(options.state ?? null)};
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => saved ?? undefined, setState: (s) => { saved = s; window.__states.push(s); } });`;
    // The theme variables go on body as VS Code puts them (through the DOM: the CSP forbids style attributes in markup).
    const setTheme = options.dark ? `for (const [k, v] of Object.entries(${JSON.stringify(darkThemeVariables)})) document.body.style.setProperty(k, v);` : '';
    await page.setContent(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: blob:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'">
<style nonce="${nonce}">${css}</style></head>
<body class="${options.dark ? 'vscode-dark' : 'vscode-light'}"><div id="app" data-nonce="${nonce}"></div>
<script nonce="${nonce}">${fake}${setTheme}</script>
<script nonce="${nonce}">${js}</script></body></html>`);
    return view;
  }

  eval<T>(expression: string): Promise<T> {
    return this.page.evaluate(expression) as Promise<T>;
  }

  /** Delivers host messages as the webview does (window 'message' events), then renders. */
  async send(messages: readonly unknown[]): Promise<void> {
    await this.eval(`(() => { for (const m of ${JSON.stringify(messages)}) window.dispatchEvent(new MessageEvent('message', { data: m })); window.${this.bundle.debugGlobal}.renderNow(); })()`);
  }

  renderNow(): Promise<number> {
    return this.eval(`window.${this.bundle.debugGlobal}.renderNow()`);
  }

  posted(): Promise<Record<string, unknown>[]> {
    return this.eval('window.__posted');
  }

  /** The last file the view handed to the host to save. */
  async lastExport(): Promise<PostedExport> {
    return (await this.posted()).at(-1) as unknown as PostedExport;
  }

  lastState(): Promise<unknown> {
    return this.eval('window.__states.at(-1)');
  }

  cspViolations(): Promise<string[]> {
    return this.eval('window.__csp');
  }

  text(selector: string): Promise<string> {
    return this.page.locator(selector).first().innerText();
  }
}

/** The colour at (x, y) of a PNG screenshot. */
export function pixel(png: PNG, x: number, y: number): [number, number, number] {
  const i = (y * png.width + x) * 4;
  return [png.data[i] ?? 0, png.data[i + 1] ?? 0, png.data[i + 2] ?? 0];
}

export const luminance = ([r, g, b]: [number, number, number]): number => 0.2126 * r + 0.7152 * g + 0.0722 * b;

/** A PNG export's bytes, checked for the PNG signature and decoded. */
export function pngOf(base64: string): PNG {
  const bytes = Buffer.from(base64, 'base64');
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'PNG signature');
  return PNG.sync.read(bytes);
}

/** Asserts a screenshot is non-trivial and its bottom-left corner has the theme's background: dark or light. */
export function assertThemeBackground(shot: Buffer, dark: boolean): void {
  assert.ok(shot.length > 20_000, 'a non-trivial screenshot');
  const png = PNG.sync.read(shot);
  const background = luminance(pixel(png, 3, png.height - 3));
  if (dark) assert.ok(background < 60, `dark background, luminance ${background}`);
  else assert.ok(background > 200, `light background, luminance ${background}`);
}

// Predicates are functions, never strings: Playwright runs a string predicate with eval, which the views' CSP forbids.

/** Waits until the page defines the global `name`. */
export async function waitForGlobal(page: Page, name: string): Promise<void> {
  await page.waitForFunction((global) => (globalThis as Record<string, unknown>)[global] !== undefined, name);
}

/** Waits until at least `count` elements match `selector`. */
export async function waitForElements(page: Page, selector: string, count = 1): Promise<void> {
  await page.locator(selector).nth(count - 1).waitFor({ state: 'attached' });
}

/** Waits until the last message the view posted to its host names a file ending in `suffix`. */
export async function waitForPostedFile(page: Page, suffix: string): Promise<void> {
  await page.waitForFunction((end) => ((globalThis as unknown as { __posted: { fileName?: string }[] }).__posted.at(-1)?.fileName ?? '').endsWith(end), suffix);
}
