import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { embeddedJson, findPackageRoot, renderReport } from '../../language-server/src/report/html-report.js';
import { repoRoot, viewAssets } from './browser.js';
import { makeRun, runOptions } from './fixtures.js';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

test('the package root is found from the compiled module', () => {
  assert.equal(findPackageRoot(), repoRoot);
});

test('the report is one self-contained file: inline assets, data, hashes in its CSP, nothing remote', async () => {
  const { dir, js } = await viewAssets();
  const runs = runOptions.map((o) => makeRun(o));
  const html = renderReport({ title: 'Fashion </script><script>alert(1)</script>', runs, assetsDir: dir });
  assert.doesNotMatch(html, /\b(src|href)\s*=\s*["']?\s*(https?:)?\/\//i, 'no remote src/href');
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /<script[^>]*\bsrc=/i);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
  assert.match(csp, /default-src 'none'/);
  const script = /<script>([\s\S]*)<\/script>\n<\/body>/.exec(html)?.[1] ?? '';
  const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
  assert.ok(script.length > 10_000 && style.length > 1_000);
  assert.ok(csp.includes(`script-src ${hash(script)}`), 'the script hash is in the CSP');
  assert.ok(csp.includes(`style-src ${hash(style)}`), 'the style hash is in the CSP');
  assert.equal(script.length, js.length, 'the bundle is inlined whole');
  const data = /<script type="application\/json" id="layerlab-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
  assert.ok(!data.includes('<'), 'no < in the data block');
  const parsed = JSON.parse(data) as { title: string; runs: { id: string }[] };
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
