import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tuneView, useBrowser, WebviewPage } from '../view/browser.js';
import { id, liveSearch, records, saved, savedSearch, trialCount } from './lr-search.js';

const needBrowser = useBrowser();

const tickLabels = (view: WebviewPage, selector: string): Promise<string[]> => view.page.locator(`${selector} text.tick-label`).allTextContents();

/** The x or y of each tick label of an axis, by its text. */
async function tickPositions(view: WebviewPage, selector: string, coordinate: 'x' | 'y'): Promise<Map<string, number>> {
  const ticks = await view.page.locator(`${selector} text.tick-label`).evaluateAll((texts, c) => texts.map((t) => [t.textContent ?? '', Number(t.getAttribute(c))] as const), coordinate);
  return new Map(ticks);
}

test('a parameter searched on a log scale is plotted on a log axis over its searched range (parallel coordinates and scatter plot)', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  for (const messages of [saved(true), liveSearch()]) {
    const view = await WebviewPage.open(b, {}, tuneView);
    await view.send(messages);
    const parallelAxis = 'svg.parallel g.axis[data-axis="learning_rate"]';
    assert.equal(await view.page.locator(parallelAxis).getAttribute('data-scale'), 'log');
    assert.match(await view.page.locator('svg.parallel').innerHTML(), />log scale</);
    // The axis spans the searched range, decade by decade: 1e-3 halfway between 1e-4 and 1e-2.
    const y = await tickPositions(view, parallelAxis, 'y');
    assert.deepEqual([...y.keys()], ['1e-4', '2e-4', '5e-4', '0.001', '0.002', '0.005', '0.01']);
    assert.ok(Math.abs(y.get('0.001')! - (y.get('1e-4')! + y.get('0.01')!) / 2) < 0.2, `0.001 halfway: ${[...y.entries()].join(' ')}`);

    const scatter = 'svg.scatter[data-parameter="learning_rate"]';
    assert.equal(await view.page.locator(`${scatter} g.axis[data-axis="learning_rate"]`).getAttribute('data-scale'), 'log');
    assert.match(await view.page.locator(`${scatter} text.axis-title`).first().textContent() ?? '', /learning_rate \(log\)/);
    // Each point's x is linear in log(learning rate).
    const points = await view.page.locator(`${scatter} circle.point`).evaluateAll((circles) => circles.map((c) => [c.getAttribute('data-trial') ?? '', Number(c.getAttribute('cx'))] as const));
    assert.equal(points.length, trialCount);
    const x = new Map(points);
    const lr = (trial: string) => records.find((r) => r.id === trial)!.point['learning_rate'] as number;
    const [first, last] = [id(0), id(trialCount - 1)];
    const slope = (x.get(last)! - x.get(first)!) / (Math.log(lr(last)) - Math.log(lr(first)));
    for (const [trial, cx] of points) assert.ok(Math.abs(cx - (x.get(first)! + slope * (Math.log(lr(trial)) - Math.log(lr(first))))) < 0.3, `trial ${trial} at ${cx}`);
    assert.deepEqual(view.errors, []);
    await view.page.close();
  }
});

test('an integer parameter gets whole-number ticks only; choices keep their written order', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  // With the space: the searched range 1..4, one tick per value.
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.send(saved(true));
  assert.deepEqual(await tickLabels(view, 'svg.parallel g.axis[data-axis="depth"]'), ['1', '2', '3', '4']);
  assert.deepEqual(await tickLabels(view, 'svg.scatter[data-parameter="depth"] g.axis[data-axis="depth"]'), ['1', '2', '3', '4']);
  assert.deepEqual(await tickLabels(view, 'svg.parallel g.axis[data-axis="optimizer"]'), ['sgd', 'adam'], 'every choice, in the order written, sampled or not');
  await view.page.close();

  // Without it (a host that does not send the space): the values 2 and 3 are whole numbers, so are the ticks.
  const old = await WebviewPage.open(b, {}, tuneView);
  await old.send(saved(false));
  for (const selector of ['svg.parallel g.axis[data-axis="depth"]', 'svg.scatter[data-parameter="depth"] g.axis[data-axis="depth"]']) {
    const labels = await tickLabels(old, selector);
    assert.ok(labels.includes('2') && labels.includes('3'), `${selector}: ${labels.join(' ')}`);
    assert.ok(labels.every((label) => /^\d+$/.test(label)), `${selector}: whole numbers only, got ${labels.join(' ')}`);
  }
  // And the learning rate, a little over a decade, stays linear: nothing says it was searched on a log scale.
  assert.equal(await old.page.locator('svg.parallel g.axis[data-axis="learning_rate"]').getAttribute('data-scale'), 'linear');
  assert.deepEqual(old.errors, []);
  await old.page.close();
});

/** CIELAB of an sRGB colour (D65), for colour differences. */
function lab([r, g, b]: readonly number[]): [number, number, number] {
  const linear = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  const [R, G, B] = [linear(r ?? 0), linear(g ?? 0), linear(b ?? 0)];
  const f = (v: number) => (v > 216 / 24389 ? Math.cbrt(v) : ((24389 / 27) * v + 16) / 116);
  const x = f((0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047);
  const y = f(0.2126 * R + 0.7152 * G + 0.0722 * B);
  const z = f((0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

const rgbOf = (css: string): number[] => (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map(Number);

/** The smallest CIE76 ΔE between any two of the colours. */
function closestPair(colors: readonly string[]): number {
  let closest = Infinity;
  const labs = colors.map((c) => lab(rgbOf(c)));
  labs.forEach((a, i) => labs.slice(i + 1).forEach((b) => (closest = Math.min(closest, Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2])))));
  return closest;
}

test('15 trials get 15 distinguishable colours in the objective overlay (legend and SVG export), in a light and a dark theme', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  for (const dark of [false, true]) {
    const view = await WebviewPage.open(b, { dark }, tuneView);
    await view.send(saved(true));
    const legend = await view.eval<string[]>(`[...document.querySelectorAll('.objective-overlay .u-legend .u-series .u-marker')].slice(1).map((m) => getComputedStyle(m).borderTopColor)`);
    assert.equal(legend.length, trialCount);
    assert.equal(new Set(legend).size, trialCount, `a colour per trial: ${legend.join(' ')}`);
    assert.ok(closestPair(legend) >= 15, `the two closest colours differ by ΔE ${closestPair(legend).toFixed(1)}`);
    const background = lab(rgbOf(await view.eval<string>('getComputedStyle(document.body).backgroundColor')));
    for (const color of legend) {
      const c = lab(rgbOf(color));
      assert.ok(Math.hypot(c[0] - background[0], c[1] - background[1], c[2] - background[2]) >= 30, `${color} stands out from the ${dark ? 'dark' : 'light'} background`);
    }
    const exported = (await view.eval<string | undefined>('window.__layerlabTuneView.svg("overlay")')) ?? '';
    const strokes = [...exported.matchAll(/<path d="[^"]*" fill="none" stroke="([^"]+)"/g)].map((m) => m[1] ?? '');
    assert.equal(strokes.length, trialCount);
    assert.deepEqual(strokes.map((s) => rgbOf(s).join(',')), legend.map((s) => rgbOf(s).join(',')), 'the export draws each trial in its legend colour');
    assert.deepEqual(view.errors, []);
    await view.page.close();
  }
});

test('at 600 px wide the trials table and the overlay table scroll inside their panels, and nothing runs off the page', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  await view.page.setViewportSize({ width: 600, height: 900 });
  await view.send(saved(true));
  await view.page.locator('.objective-overlay details.table-alternative summary').click();
  await view.renderNow();
  const layout = await view.eval<{ page: number; viewport: number; trials: [number, number, string]; overlay: [number, number, string]; plots: number[] }>(`(() => {
    const scroll = (e) => [e.scrollWidth, e.clientWidth, getComputedStyle(e).overflowX];
    return {
      page: document.documentElement.scrollWidth,
      viewport: document.documentElement.clientWidth,
      trials: scroll(document.querySelector('.trials .table-scroll')),
      overlay: scroll(document.querySelector('.objective-overlay details.table-alternative')),
      plots: [...document.querySelectorAll('svg.search-plot')].map((s) => s.getBoundingClientRect().right),
    };
  })()`);
  assert.ok(layout.page <= layout.viewport, `the page does not scroll sideways: ${layout.page} > ${layout.viewport}`);
  for (const [name, [scrollWidth, clientWidth, overflow]] of Object.entries({ trials: layout.trials, overlay: layout.overlay })) {
    assert.ok(scrollWidth > clientWidth, `${name}: the table is wider than its panel (${scrollWidth} vs ${clientWidth})`);
    assert.ok(overflow === 'auto' || overflow === 'scroll', `${name}: its panel scrolls (overflow-x ${overflow})`);
  }
  assert.ok(layout.plots.every((right) => right <= layout.viewport), `the plots fit: ${layout.plots.join(' ')}`);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

/** The text of every header field on show; none may be a bare dash. */
async function headerFields(view: WebviewPage): Promise<Record<string, string>> {
  const fields = await view.eval<[string, string][]>(`[...document.querySelectorAll('.search-header .progress-item')].filter((i) => !i.hidden).map((i) => [i.querySelector('dt').textContent, i.querySelector('dd').textContent])`);
  for (const [name, value] of fields) assert.ok(value !== '' && value !== '–', `the header shows ${name} without a value`);
  return Object.fromEntries(fields);
}

test('the search header: Data while it loads, gone when training starts and when the search ends; the data set when the trainer names it', async (t) => {
  const b = needBrowser(t);
  if (!b) return;
  const view = await WebviewPage.open(b, {}, tuneView);
  const stream = liveSearch();
  const loading = stream.findIndex((m) => m.type === 'trainer' && m.message.type === 'tune-event' && m.message.event.type === 'data');
  await view.send(stream.slice(0, loading + 1));
  assert.equal((await headerFields(view))['Data'], 'reading MNIST');
  await view.send(stream.slice(loading + 1, loading + 2));
  assert.equal((await headerFields(view))['Data'], undefined, 'training began: the data set is loaded');
  await view.send(stream.slice(loading + 2));
  const finished = await headerFields(view);
  assert.equal(finished['Data'], undefined, 'no loading text after the search');
  assert.equal(finished['Status'], 'finished; 15 completed, 0 failed');
  assert.equal(await view.text('.search-header .outcome'), 'Search finished.');
  await view.page.close();

  // Cut short: the session ends while the data set loads.
  const cut = await WebviewPage.open(b, {}, tuneView);
  await cut.send([...stream.slice(0, loading + 1), { type: 'session-ended', cancelled: true }]);
  assert.equal((await headerFields(cut))['Data'], undefined);
  await cut.page.close();

  // A trainer that names the data set once it is loaded: shown from then on, after the end too.
  const named = await WebviewPage.open(b, {}, tuneView);
  await named.send(liveSearch({ dataset: true, finish: false, trials: 2 }));
  assert.equal((await headerFields(named))['Data'], 'mnist: 60,000 train, 10,000 test');
  await named.send([{ type: 'trainer', message: { type: 'tune-done', summaries: [savedSearch(true)], cancelled: false } }]);
  assert.equal((await headerFields(named))['Data'], 'mnist: 60,000 train, 10,000 test');
  assert.equal(await named.eval<number>('window.__layerlabTuneView.invalidMessages()'), 0, 'the dataset event is not taken for a malformed one');
  await named.page.close();

  // A saved search, no session: no backend, no data, no empty field.
  const savedView = await WebviewPage.open(b, {}, tuneView);
  await savedView.send(saved(true));
  assert.deepEqual(Object.keys(await headerFields(savedView)), ['Search', 'Strategy', 'Objective', 'Status']);
  await savedView.page.close();
});
