import { mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { darkThemeVariables, repoRoot } from '../view/browser.js';

export { chromiumPath, launchChromium } from '../view/browser.js';

export const artifactsDir = join(repoRoot, 'test', 'tune-view', 'artifacts');

export interface TuneViewAssets {
  readonly dir: string;
  readonly js: string;
  readonly css: string;
}

let assets: Promise<TuneViewAssets> | undefined;

/** The search view bundle built fresh from media/tune-view (as scripts/build.mjs does), so tests never see a stale media/dist. */
export function tuneViewAssets(): Promise<TuneViewAssets> {
  assets ??= (async () => {
    const dir = join(tmpdir(), `layerlab-tune-view-test-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    await Promise.all([
      build({ absWorkingDir: repoRoot, entryPoints: { 'tune-view': 'media/tune-view/main.ts' }, bundle: true, format: 'iife', platform: 'browser', target: 'es2020', outdir: dir, logLevel: 'error' }),
      build({ absWorkingDir: repoRoot, entryPoints: { 'tune-view': 'media/tune-view/tune-view.css' }, bundle: true, outdir: dir, logLevel: 'error' }),
    ]);
    return { dir, js: readFileSync(join(dir, 'tune-view.js'), 'utf8'), css: readFileSync(join(dir, 'tune-view.css'), 'utf8') };
  })();
  return assets;
}

export interface TunePageOptions {
  /** What getState returns at start. */
  readonly state?: unknown;
  readonly dark?: boolean;
}

/** The search view in a page shaped like the extension's webview: its CSP, a nonce, and a fake acquireVsCodeApi that records. */
export class TuneViewPage {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  private constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
      if (message.type() === 'warning') this.warnings.push(message.text());
    });
  }

  static async open(browser: Browser, options: TunePageOptions = {}): Promise<TuneViewPage> {
    const { js, css } = await tuneViewAssets();
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const view = new TuneViewPage(page);
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
    await this.eval(`(() => { for (const m of ${JSON.stringify(messages)}) window.dispatchEvent(new MessageEvent('message', { data: m })); window.__layerlabTuneView.renderNow(); })()`);
  }

  posted(): Promise<Record<string, unknown>[]> {
    return this.eval('window.__posted');
  }

  lastState(): Promise<unknown> {
    return this.eval('window.__states.at(-1)');
  }

  cspViolations(): Promise<string[]> {
    return this.eval('window.__csp');
  }

  renderNow(): Promise<number> {
    return this.eval('window.__layerlabTuneView.renderNow()');
  }

  text(selector: string): Promise<string> {
    return this.page.locator(selector).first().innerText();
  }
}
