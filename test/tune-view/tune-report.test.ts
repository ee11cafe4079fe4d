import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test, type TestContext } from 'node:test';
import type { Browser } from 'playwright-core';
import { PNG } from 'pngjs';
import { renderTuneReport } from '../../language-server/src/report/tune-report.js';
import { artifactsDir, chromiumPath, launchChromium, tuneViewAssets } from './browser.js';
import { bestRecord, completedIds, plan, summary } from './fixtures.js';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

test('the search report is one self-contained file: inline assets and data, hashes in its CSP, nothing remote', async () => {
  const { dir, js } = await tuneViewAssets();
  const html = renderTuneReport({ title: 'Search </script><script>alert(1)</script>', searches: [summary()], assetsDir: dir });
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i, 'no remote src/href');
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /<script[^>]*\bsrc=/i);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  const script = /<script>([\s\S]*)<\/script>\n<\/body>/.exec(html)?.[1] ?? '';
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  assert.ok(csp.includes(`script-src ${hash(script)}`), 'the script hash is in the CSP');
  assert.ok(csp.includes(`style-src ${hash(style)}`), 'the style hash is in the CSP');
  assert.equal(script.length, js.length, 'the bundle is inlined whole');
  const data = /<script type="application\/json" id="layerlab-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  assert.ok(!data.includes('<'), 'no < in the data block');
  const parsed = JSON.parse(data) as { title: string; searches: { dir: string; trials: unknown[] }[] };
  assert.equal(parsed.title, 'Search </script><script>alert(1)</script>');
  assert.equal(parsed.searches[0]?.trials.length, plan.length);
  assert.match(html, /<title>Search &#60;\/script&#62;/);
});

test('without built assets the report says how to build them', () => {
  assert.throws(() => renderTuneReport({ title: 't', searches: [], assetsDir: '/nonexistent/dist' }), /tune-view\.js: the views are not built/);
});

const chromium = chromiumPath();
let browser: Browser | undefined;
before(async () => {
  if (chromium) browser = await launchChromium(chromium);
});
after(async () => {
  await browser?.close();
});

function needBrowser(t: TestContext): Browser | undefined {
  if (!browser) t.skip('no Chromium: set LAYERLAB_CHROMIUM or install /usr/bin/chromium');
  return browser;
}

test('the search report opens in Chromium on its own: the table, the plots, downloads, no CSP violation', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const { dir } = await tuneViewAssets();
  const html = renderTuneReport({ title: 'MNIST search report', searches: [summary()], assetsDir: dir });
  const reportDir = join(tmpdir(), `layerlab-tune-report-${process.pid}`);
  mkdirSync(reportDir, { recursive: true });
  const file = join(reportDir, 'search.html');
  writeFileSync(file, html);
  const page = await b.newPage({ viewport: { width: 1200, height: 900 }, acceptDownloads: true });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  const remote: string[] = [];
  page.on('request', (request) => {
    if (!/^(file|data|blob):/.test(request.url())) remote.push(request.url());
  });
  await page.goto(pathToFileURL(file).href);
  await page.waitForFunction('window.__layerlabTuneView !== undefined');
  assert.equal(await page.locator('.view-title').innerText(), 'MNIST search report');
  assert.equal(await page.locator('table.trials-table tbody tr').count(), plan.length);
  assert.equal(await page.locator('tr.best').getAttribute('data-trial'), bestRecord.id);
  assert.equal(await page.locator('svg.parallel polyline.trial-line').count(), completedIds.length);
  assert.equal(await page.getByRole('button', { name: 'Stop the search' }).isVisible(), false);
  assert.equal(await page.getByRole('button', { name: 'Open a saved search' }).isVisible(), false);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export the trials table as CSV' }).click();
  assert.equal((await download).suggestedFilename(), 'mnist_search-trials.csv');
  // The state lives in the session: a sort survives a reload of the file.
  await page.locator('button.sort[data-column="score"]').click();
  await page.reload();
  await page.waitForFunction('window.__layerlabTuneView !== undefined');
  assert.equal(await page.locator('table.trials-table tbody tr').first().getAttribute('data-trial'), bestRecord.id);
  mkdirSync(artifactsDir, { recursive: true });
  const shot = await page.screenshot({ fullPage: true });
  writeFileSync(join(artifactsDir, 'report-light.png'), shot);
  const png = PNG.sync.read(shot);
  const i = ((png.height - 3) * png.width + 3) * 4;
  assert.ok(0.2126 * (png.data[i] ?? 0) + 0.7152 * (png.data[i + 1] ?? 0) + 0.0722 * (png.data[i + 2] ?? 0) > 200, 'a light report by default');
  assert.deepEqual(problems, []);
  assert.deepEqual(remote, []);
  await page.close();
});
