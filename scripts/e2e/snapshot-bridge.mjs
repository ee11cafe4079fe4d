// @ts-check
// A local HTTP endpoint through which tests in the extension host ask the
// driver, which owns the browser page, for a screenshot and the text shown.
//   POST /snapshot {"name", "selector", "expectText"?, "timeoutMs"?, "inWebview"?, "click"?}
//   → {"screenshot": path of the PNG, "texts": innerText of each match, "textContents": textContent of each (SVG has no innerText)}
// With inWebview the selector is looked up in the frames of webviews (each
// webview is an iframe in an iframe); with click the first match is clicked
// after the screenshot.
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';

/** @typedef {{ name: string, selector: string, expectText?: string, timeoutMs?: number, inWebview?: boolean, click?: boolean }} SnapshotRequest */
/** @typedef {{ screenshot: string, texts: string[], textContents: string[] }} SnapshotResult */

/** @param {unknown} value @returns {value is SnapshotRequest} */
function isSnapshotRequest(value) {
  if (typeof value !== 'object' || value === null) return false;
  const { name, selector, expectText, timeoutMs, inWebview, click } = /** @type {Record<string, unknown>} */ (value);
  return (
    typeof name === 'string' && /^[\w-]+$/.test(name) &&
    typeof selector === 'string' &&
    (expectText === undefined || typeof expectText === 'string') &&
    (timeoutMs === undefined || typeof timeoutMs === 'number') &&
    (inWebview === undefined || typeof inWebview === 'boolean') &&
    (click === undefined || typeof click === 'boolean')
  );
}

/**
 * Waits until an element matching the selector is visible (and shows
 * expectText, when given), then screenshots the page.
 * @param {import('playwright-core').Page} page @param {SnapshotRequest} request @param {string} artifactsDir
 * @returns {Promise<SnapshotResult>}
 */
async function snapshot(page, request, artifactsDir) {
  const timeout = request.timeoutMs ?? 10_000;
  const started = Date.now();
  /** @param {import('playwright-core').Page | import('playwright-core').Frame} scope */
  const find = (scope) => {
    const matches = scope.locator(request.selector);
    return { matches, target: request.expectText === undefined ? matches.first() : matches.filter({ hasText: request.expectText }).first() };
  };
  let { matches, target } = find(page);
  try {
    if (request.inWebview) ({ matches, target } = await findInWebviews(page, find, timeout));
    await target.waitFor({ state: 'visible', timeout: Math.max(1, timeout - (Date.now() - started)) });
  } catch (error) {
    const failed = join(artifactsDir, `${request.name}-failed.png`);
    await page.screenshot({ path: failed }).catch(() => {});
    throw new Error(`${request.selector}${request.expectText === undefined ? '' : ` showing ${JSON.stringify(request.expectText)}`} not visible after ${timeout} ms (see ${failed})`, { cause: error });
  }
  const screenshot = join(artifactsDir, `${request.name}.png`);
  // Fade-ins (the hover's) fast-forwarded, so the picture shows the finished widget.
  await page.screenshot({ path: screenshot, animations: 'disabled' });
  const texts = await matches.allInnerTexts();
  const textContents = await matches.allTextContents();
  if (request.click) await target.click({ timeout: 5_000 });
  return { screenshot, texts, textContents };
}

/**
 * The first webview frame with a visible match; webviews load asynchronously, so this polls.
 * @template {{ target: import('playwright-core').Locator }} T
 * @param {import('playwright-core').Page} page
 * @param {(scope: import('playwright-core').Frame) => T} find
 * @param {number} timeout
 * @returns {Promise<T>}
 */
async function findInWebviews(page, find, timeout) {
  const deadline = Date.now() + timeout;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      const found = find(frame);
      if (await found.target.isVisible().catch(() => false)) return found;
    }
    if (Date.now() > deadline) throw new Error('no webview shows it');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** @param {import('node:http').IncomingMessage} request @returns {Promise<unknown>} */
async function readJson(request) {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return JSON.parse(body);
}

/**
 * @param {() => import('playwright-core').Page | undefined} currentPage
 * @param {string} artifactsDir
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startSnapshotBridge(currentPage, artifactsDir) {
  mkdirSync(artifactsDir, { recursive: true });
  const server = createServer((request, response) => {
    /** @param {number} status @param {unknown} body */
    const reply = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    const page = currentPage();
    if (request.method !== 'POST' || request.url !== '/snapshot') return reply(404, { error: 'POST /snapshot only' });
    if (!page) return reply(503, { error: 'the workbench page is not open' });
    readJson(request)
      .then((body) => {
        if (!isSnapshotRequest(body)) return reply(400, { error: 'expected {name: [\\w-]+, selector, expectText?, timeoutMs?}' });
        return snapshot(page, body, artifactsDir).then((result) => reply(200, result));
      })
      .catch((error) => reply(500, { error: error instanceof Error ? error.message : String(error) }));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
