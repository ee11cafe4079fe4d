// @ts-check
// Opens code-server's workbench in headless Chromium with the extension-test
// payload and reports the exit code the workbench gives window.codeAutomationExit.
import { join } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';

const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * The workbench runs extension tests when its URL carries this payload; the
 * paths are on the server, hence vscode-remote URIs.
 * @param {number} port
 * @param {{ folder?: string, workspace?: string, extensionDevelopmentPaths: string[], extensionTestsPath: string }} target
 */
export function workbenchUrl(port, { folder, workspace, extensionDevelopmentPaths, extensionTestsPath }) {
  /** @param {string} path */
  const remote = (path) => `vscode-remote://127.0.0.1:${port}${path}`;
  const payload = [
    ...extensionDevelopmentPaths.map((path) => ['extensionDevelopmentPath', remote(path)]),
    ['extensionTestsPath', remote(extensionTestsPath)],
  ];
  const url = new URL(`http://127.0.0.1:${port}/`);
  if (workspace) url.searchParams.set('workspace', workspace);
  else if (folder) url.searchParams.set('folder', folder);
  url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

/**
 * @typedef {object} Workbench
 * @property {import('playwright-core').Page} page
 * @property {Promise<number>} exitCode the code given to codeAutomationExit; rejects when the page or browser dies first
 * @property {() => Promise<void>} close
 */

/**
 * @param {object} options
 * @param {string} options.executablePath Chromium
 * @param {string} options.scratch for Chromium's config and cache (its crash reporter writes there, not into ~/.config)
 * @param {string} options.url
 * @param {(message: string, isError: boolean) => void} options.log what the workbench logs for automation (extension host output)
 * @param {boolean} options.verbose also pass on the page's console
 * @returns {Promise<Workbench>}
 */
export async function openWorkbench({ executablePath, scratch, url, log, verbose }) {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: chromiumArgs,
    env: { ...process.env, XDG_CONFIG_HOME: join(scratch, 'chromium-config'), XDG_CACHE_HOME: join(scratch, 'chromium-cache') },
    // The driver handles signals: Playwright's own SIGINT handler would exit before code-server is stopped.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  try {
    return await openPage(browser, url, log, verbose);
  } catch (error) {
    await browser.close().catch(() => {});
    throw error;
  }
}

/**
 * @param {import('playwright-core').Browser} browser @param {string} url
 * @param {(message: string, isError: boolean) => void} log @param {boolean} verbose
 * @returns {Promise<Workbench>}
 */
async function openPage(browser, url, log, verbose) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

  /** @type {(code: number) => void} */
  let resolveExit = () => {};
  /** @type {(error: Error) => void} */
  let rejectExit = () => {};
  /** @type {Promise<number>} */
  const exitCode = new Promise((resolve, reject) => {
    resolveExit = resolve;
    rejectExit = reject;
  });
  // Marks the rejection handled; whoever awaits exitCode still gets it.
  exitCode.catch(() => {});
  // Installed before any page script runs, so the workbench finds them.
  await page.exposeFunction('codeAutomationExit', (/** @type {unknown} */ code) => resolveExit(typeof code === 'number' ? code : 1));
  // The workbench's log and the extension host's console (mocha's report), printf-style.
  await page.exposeFunction('codeAutomationLog', (/** @type {unknown} */ type, /** @type {unknown} */ args) => {
    log(Array.isArray(args) ? format(...args) : String(args), type === 'error' || type === 'warn');
  });
  page.on('crash', () => rejectExit(new Error('the workbench page crashed')));
  page.on('close', () => rejectExit(new Error('the workbench page closed before the tests finished')));
  browser.on('disconnected', () => rejectExit(new Error('Chromium exited before the tests finished')));
  if (verbose) {
    page.on('console', (message) => log(`[page ${message.type()}] ${message.text()}`, false));
    page.on('pageerror', (error) => log(`[page error] ${error.message}`, true));
  }

  await page.goto(url, { waitUntil: 'domcontentloaded' });
  return {
    page,
    exitCode,
    close: async () => {
      await browser.close().catch(() => {});
    },
  };
}
