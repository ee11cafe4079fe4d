import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

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

let assets: Promise<ViewAssets> | undefined;

/** The view bundle built fresh from media/view (as scripts/build.mjs does), so tests never see a stale media/dist. */
export function viewAssets(): Promise<ViewAssets> {
  assets ??= (async () => {
    const dir = join(tmpdir(), `layerlab-view-test-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    await Promise.all([
      build({ absWorkingDir: repoRoot, entryPoints: { 'training-view': 'media/view/main.ts' }, bundle: true, format: 'iife', platform: 'browser', target: 'es2020', outdir: dir, logLevel: 'error' }),
      build({ absWorkingDir: repoRoot, entryPoints: { 'training-view': 'media/view/view.css' }, bundle: true, outdir: dir, logLevel: 'error' }),
    ]);
    return { dir, js: readFileSync(join(dir, 'training-view.js'), 'utf8'), css: readFileSync(join(dir, 'training-view.css'), 'utf8') };
  })();
  return assets;
}

export function launchChromium(path: string): Promise<Browser> {
  return chromium.launch({ executablePath: path, args: ['--no-sandbox', '--disable-gpu'] });
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

/** A page in the shape of the extension's webview: its CSP, a nonce, and a fake acquireVsCodeApi that records. */
export class WebviewPage {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  private constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(message.text());
      if (message.type() === 'warning') this.warnings.push(message.text());
    });
  }

  static async open(browser: Browser, options: WebviewOptions = {}): Promise<WebviewPage> {
    const { js, css } = await viewAssets();
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const view = new WebviewPage(page);
    const nonce = 'dGVzdG5vbmNl';
    const bodyStyle = options.dark ? Object.entries(darkThemeVariables).map(([k, v]) => `${k}: ${v}`).join('; ') : '';
    const fake = `window.__posted = []; window.__states = []; window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
let saved = ${JSON.stringify(options.state ?? null)};
window.acquireVsCodeApi = () => ({ postMessage: (m) => window.__posted.push(m), getState: () => saved ?? undefined, setState: (s) => { saved = s; window.__states.push(s); } });`;
    await page.setContent(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: blob:; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'">
<style nonce="${nonce}">${css}</style></head>
<body class="${options.dark ? 'vscode-dark' : 'vscode-light'}"><div id="app" data-nonce="${nonce}"></div>
<script nonce="${nonce}">${fake}</script>
<script nonce="${nonce}">${js}</script></body></html>`);
    if (bodyStyle) await view.eval(`(() => { for (const [k, v] of Object.entries(${JSON.stringify(darkThemeVariables)})) document.body.style.setProperty(k, v); })()`);
    return view;
  }

  eval<T>(expression: string): Promise<T> {
    return this.page.evaluate(expression) as Promise<T>;
  }

  /** Delivers host messages as the webview does (window 'message' events), then renders. */
  async send(messages: readonly unknown[]): Promise<void> {
    await this.eval(`(() => { for (const m of ${JSON.stringify(messages)}) window.dispatchEvent(new MessageEvent('message', { data: m })); window.__layerlabView.renderNow(); })()`);
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

  text(selector: string): Promise<string> {
    return this.page.locator(selector).first().innerText();
  }
}
