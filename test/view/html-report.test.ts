import assert from 'node:assert/strict';
import { test } from 'node:test';
import { embeddedJson, findPackageRoot, renderReport } from '../../language-server/src/report/html-report.js';
import { assertSelfContained, repoRoot, viewAssets } from './browser.js';
import { makeRun, runOptions } from './fixtures.js';

test('the package root is found from the compiled module', () => {
  assert.equal(findPackageRoot(), repoRoot);
});

test('the report is one self-contained file: inline assets, data, hashes in its CSP, nothing remote', async () => {
  const { dir, js } = await viewAssets();
  const runs = runOptions.map((o) => makeRun(o));
  const html = renderReport({ title: 'Fashion </script><script>alert(1)</script>', runs, assetsDir: dir });
  const parsed = assertSelfContained(html, js) as { title: string; runs: { id: string }[] };
  assert.equal(parsed.title, 'Fashion </script><script>alert(1)</script>');
  assert.deepEqual(parsed.runs.map((r) => r.id), runOptions.map((o) => o.id));
  assert.match(html, /<title>Fashion &#60;\/script&#62;/);
});

test('embedded JSON cannot close its script element', () => {
  assert.equal(embeddedJson({ a: '</script>' }), '{"a":"\\u003c/script>"}');
});

test('without built assets the report says how to build them', () => {
  assert.throws(() => renderReport({ title: 't', runs: [], assetsDir: '/nonexistent/dist' }), /training-view\.js: the views are not built/);
});
