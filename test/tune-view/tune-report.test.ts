import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PNG } from 'pngjs';
import { renderTuneReport } from '../../language-server/src/report/tune-report.js';
import { assertSelfContained, bundleAssets, openReport, tuneView, useBrowser, waitForGlobal } from '../view/browser.js';
import { artifactsDir } from './browser.js';
import { bestRecord, completedIds, plan, summary } from './fixtures.js';

test('the search report is one self-contained file: inline assets and data, hashes in its CSP, nothing remote', async () => {
  const { dir, js } = await bundleAssets(tuneView);
  const html = renderTuneReport({ title: 'Search </script><script>alert(1)</script>', searches: [summary()], assetsDir: dir });
  const parsed = assertSelfContained(html, js) as { title: string; searches: { dir: string; trials: unknown[] }[] };
  assert.equal(parsed.title, 'Search </script><script>alert(1)</script>');
  assert.equal(parsed.searches[0]?.trials.length, plan.length);
  assert.match(html, /<title>Search &#60;\/script&#62;/);
});

test('without built assets the report says how to build them', () => {
  assert.throws(() => renderTuneReport({ title: 't', searches: [], assetsDir: '/nonexistent/dist' }), /tune-view\.js: the views are not built/);
});

const needBrowser = useBrowser();

test('the search report opens in Chromium on its own: the table, the plots, downloads, no CSP violation', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const { dir } = await bundleAssets(tuneView);
  const html = renderTuneReport({ title: 'MNIST search report', searches: [summary()], assetsDir: dir });
  const { page, problems, remote } = await openReport(b, html, 'search.html', tuneView);
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
  await waitForGlobal(page, '__layerlabTuneView');
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
