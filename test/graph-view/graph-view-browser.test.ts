import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import sax from 'sax';
import { PNG } from 'pngjs';
import type { GraphRange, HostToGraphView, ModelGraph } from '../../language-server/src/protocol/graph.js';
import { artifactsDir, assertThemeBackground, graphView, luminance, pixel, pngOf, useBrowser, WebviewPage } from '../view/browser.js';
import { deepModel, fixtureText, graphMessage, graphOfText } from './fixtures.js';

const needBrowser = useBrowser();

interface Debug {
  viewport: { scale: number; x: number; y: number };
  counts: { items: number; edges: number; frames: number; width: number; height: number };
  box: { x: number; y: number; width: number; height: number } | null;
}

/** The graph view in a page like the webview's (its CSP, a fake VS Code API that records what it posts). */
async function openView(t: Parameters<typeof needBrowser>[0], options: { dark?: boolean; state?: unknown } = {}): Promise<WebviewPage | undefined> {
  const browser = needBrowser(t);
  if (!browser) return undefined;
  return WebviewPage.open(browser, options, graphView);
}

async function show(view: WebviewPage, messages: readonly HostToGraphView[]): Promise<number> {
  await view.send(messages);
  return view.eval<number>('window.__layerlabGraphView.renderNow()');
}

const boxOf = (view: WebviewPage, id: string) => view.eval<Debug['box']>(`window.__layerlabGraphView.boxOf(${JSON.stringify(id)})`);
const viewportOf = (view: WebviewPage) => view.eval<Debug['viewport']>('window.__layerlabGraphView.viewport()');
const countsOf = (view: WebviewPage) => view.eval<Debug['counts']>('window.__layerlabGraphView.counts()');
const highlighted = (view: WebviewPage) => view.eval<string[]>('window.__layerlabGraphView.highlighted()');

async function clickBox(view: WebviewPage, id: string): Promise<void> {
  const box = await boxOf(view, id);
  assert.ok(box, `${id} is laid out`);
  await view.page.mouse.click(box.x + Math.min(40, box.width / 2), box.y + box.height / 2);
}

function saveArtifact(name: string, data: Buffer): void {
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(join(artifactsDir, name), data);
}

const residual = () => graphMessage('test/fixtures/residual.model');

test('ready first; one box per node and one edge per connection of the residual fixture; light and dark screenshots; nothing the CSP refuses', async (t) => {
  for (const dark of [false, true]) {
    const view = await openView(t, { dark });
    if (!view) return;
    const message = residual();
    const drawn = await show(view, [message]);
    const graph = (message as { graph: ModelGraph }).graph;
    assert.deepEqual((await view.posted())[0], { type: 'ready' });
    assert.equal(drawn, graph.nodes.length);
    assert.equal(await view.page.locator('svg.graph g.node').count(), graph.nodes.length);
    assert.equal(await view.page.locator('svg.graph g.edge').count(), graph.edges.length);
    for (const node of graph.nodes) assert.equal(await view.page.locator(`svg.graph g.node[data-id="${node.id}"]`).getAttribute('data-shape'), node.shapeText);
    assert.match(await view.text('.totals'), /residual\n19,562 params\n13 layers · 16\.8M FLOPs · 76\.41 KB weights/);
    const shot = await view.page.screenshot();
    saveArtifact(`graph-view-${dark ? 'dark' : 'light'}.png`, shot);
    assertThemeBackground(shot, dark);
    // The boxes take the theme too: a box's fill is dark on dark, light on light.
    const fill = await view.page.locator('svg.graph g.node[data-id="conv2d"] rect.box').getAttribute('fill');
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(fill?.slice(i, i + 2) ?? '0', 16)) as [number, number, number];
    assert.ok(dark ? luminance([r, g, b]) < 80 : luminance([r, g, b]) > 200, `box fill ${fill}`);
    assert.deepEqual(view.errors, []);
    assert.deepEqual(await view.cspViolations(), []);
    await view.page.close();
  }
});

test('a high-contrast theme: its border colour on every box, its background behind', async (t) => {
  const browser = needBrowser(t);
  if (!browser) return;
  const view = await WebviewPage.open(browser, { dark: true }, graphView);
  await view.eval(`(() => { document.body.className = 'vscode-high-contrast'; for (const [k, v] of Object.entries({ '--vscode-editor-background': '#000000', '--vscode-editor-foreground': '#ffffff', '--vscode-contrastBorder': '#6fc3df', '--vscode-focusBorder': '#f38518' })) document.body.style.setProperty(k, v); })()`);
  await show(view, [residual()]);
  const strokes = await view.page.locator('svg.graph g.node rect.box').evaluateAll((rects) => rects.map((r) => r.getAttribute('stroke')));
  assert.ok(strokes.length > 0 && strokes.every((s) => s === '#6fc3df'), strokes.join());
  const shot = await view.page.screenshot();
  saveArtifact('graph-view-high-contrast.png', shot);
  assert.equal(luminance(pixel(PNG.sync.read(shot), 3, 890)), 0);
  await view.page.close();
});

test('clicking a box asks the host to put the cursor on its statement', async (t) => {
  const view = await openView(t);
  if (!view) return;
  const message = residual();
  await show(view, [message]);
  const main = (message as { graph: ModelGraph }).graph.nodes.find((n) => n.name === 'main');
  assert.ok(main);
  await clickBox(view, 'main');
  assert.deepEqual((await view.posted()).at(-1), { type: 'reveal', range: main.range });
  // A drag pans, and is no click.
  const before = await viewportOf(view);
  const box = await boxOf(view, 'dense');
  assert.ok(box);
  await view.page.mouse.move(box.x + 10, box.y + 10);
  await view.page.mouse.down();
  await view.page.mouse.move(box.x + 60, box.y + 90, { steps: 5 });
  await view.page.mouse.up();
  const after = await viewportOf(view);
  assert.deepEqual([Math.round(after.x - before.x), Math.round(after.y - before.y)], [50, 80]);
  assert.equal((await view.posted()).filter((m) => m['type'] === 'reveal').length, 1);
  // From the keyboard: a box takes the focus (Tab), Enter shows it in the source.
  const dense = (message as { graph: ModelGraph }).graph.nodes.find((n) => n.name === 'dense');
  await view.page.locator('svg.graph g.node[data-id="dense"]').focus();
  await view.page.keyboard.press('Enter');
  assert.deepEqual((await view.posted()).at(-1), { type: 'reveal', range: dense?.range });
  assert.match((await view.page.locator('svg.graph g.node[data-id="dense"]').getAttribute('aria-label')) ?? '', /^dense \(Dense\), 10 units · softmax, → 10 · 490 params$/);
  await view.page.close();
});

test('the cursor in the source rings the boxes of its statement (each repetition of a repeated one), and brings them into view', async (t) => {
  const view = await openView(t);
  if (!view) return;
  const text = fixtureText('examples/resnet50.model');
  const message = graphMessage('examples/resnet50.model');
  await show(view, [message]);
  const line = (needle: string, from = 0) => text.slice(0, text.indexOf(needle, from)).split('\n').length - 1;
  await show(view, [{ type: 'cursor', position: { line: line('stem = MaxPooling2D'), character: 4 } }]);
  assert.deepEqual(await highlighted(view), ['stem']);
  assert.equal(await view.page.locator('svg.graph rect.cursor-mark').count(), 1);
  // The identity blocks of conv4 repeat 5 times: the cursor on their first Conv2D rings all five.
  const inRepeat = line('Conv2D(256, 1)', text.indexOf('repeat 5'));
  await show(view, [{ type: 'cursor', position: { line: inRepeat, character: 6 } }]);
  const ringed = await highlighted(view);
  assert.equal(ringed.length, 5, ringed.join());
  // They are far below the first screen: the view moved to show one.
  const first = await boxOf(view, ringed[0] ?? '');
  assert.ok(first && first.y > 0 && first.y < 900, `the ringed box is in view (${JSON.stringify(first)})`);
  saveArtifact('graph-view-cursor.png', await view.page.screenshot());
  // A line outside any layer rings nothing.
  await show(view, [{ type: 'cursor', position: { line: 0, character: 0 } }]);
  assert.deepEqual(await highlighted(view), []);
  await view.page.close();
});

test('a cursor sent with the first graph (as the host does on opening) is brought into view once the layout is done', async (t) => {
  const view = await openView(t);
  if (!view) return;
  const text = fixtureText('examples/resnet50.model');
  const line = text.slice(0, text.indexOf('main5 =')).split('\n').length - 1;
  await show(view, [graphMessage('examples/resnet50.model'), { type: 'cursor', position: { line, character: 4 } }]);
  assert.deepEqual(await highlighted(view), ['main5']);
  const box = await boxOf(view, 'main5');
  assert.ok(box && box.y > 0 && box.y + box.height < 900, `main5 in view: ${JSON.stringify(box)}`);
  await view.page.close();
});

test('an edit keeps the view in place: the box in the middle stays where it was on the screen', async (t) => {
  const view = await openView(t);
  if (!view) return;
  const text = fixtureText('examples/resnet50.model');
  await show(view, [graphMessage('examples/resnet50.model')]);
  // Look at conv3's projection, zoomed in a little.
  await show(view, [{ type: 'cursor', position: { line: text.slice(0, text.indexOf('main3 =')).split('\n').length - 1, character: 4 } }]);
  await view.page.locator('.canvas').focus();
  await view.page.keyboard.press('+');
  await view.eval('window.__layerlabGraphView.renderNow()');
  const before = await boxOf(view, 'main3');
  // An edit above it: one more layer in the stem.
  const edited = text.replace('  ReLU()\n  ZeroPadding2D(1)', '  ReLU()\n  Dropout(0.1)\n  ZeroPadding2D(1)');
  const graph = graphOfText(edited);
  await show(view, [{ type: 'graph', file: 'resnet50.model', models: ['resnet50'], graph }]);
  assert.equal((await countsOf(view)).items, 178);
  const after = await boxOf(view, 'main3');
  assert.ok(before && after);
  assert.ok(Math.abs(after.x - before.x) <= 1 && Math.abs(after.y - before.y) <= 1, `main3 moved from ${JSON.stringify(before)} to ${JSON.stringify(after)}`);
  await view.page.close();
});

test('errors: the failing box is marked, the boxes after it are dashed and faded, the totals say so', async (t) => {
  const view = await openView(t);
  if (!view) return;
  const graph = graphOfText('model broken {\n  input (4,)\n  Dense(8)\n  Conv2D(4, 3)\n  Dense(2)\n}\n');
  await show(view, [{ type: 'graph', file: 'broken.model', models: ['broken'], graph }]);
  const failing = view.page.locator('svg.graph g.node[data-error="true"]');
  assert.equal(await failing.count(), 1);
  assert.equal(await failing.getAttribute('data-type'), 'Conv2D');
  assert.equal(await failing.locator('rect.box').getAttribute('stroke'), '#c5221f');
  assert.match(await failing.locator('text').last().textContent() ?? '', /^⚠ Conv2D expects an input of rank 3/);
  const after = view.page.locator('svg.graph g.node[data-affected="true"]');
  assert.equal(await after.count(), 1);
  assert.equal(await after.getAttribute('opacity'), '0.55');
  assert.equal(await after.locator('rect.box').getAttribute('stroke-dasharray'), '4 3');
  assert.match(await view.text('.totals'), /1 error: figures up to the first/);
  saveArtifact('graph-view-errors.png', await view.page.screenshot());
  // A file without a model: a message, no boxes.
  await show(view, [{ type: 'graph', file: 'empty.model', models: [], graph: null, problem: 'This file declares no model.' }]);
  assert.equal(await view.page.locator('svg.graph g.node').count(), 0);
  assert.equal(await view.text('.status'), 'This file declares no model.');
  await view.page.close();
});

test('repeat blocks fold into one box and unfold again; clicking a folded box unfolds it and shows its repeat line', async (t) => {
  const view = await openView(t);
  if (!view) return;
  const message = graphMessage('examples/resnet50.model');
  const graph = (message as { graph: ModelGraph }).graph;
  await show(view, [message]);
  assert.deepEqual(await countsOf(view).then((c) => [c.items, c.frames]), [177, 4]);
  await view.page.getByRole('button', { name: 'Fold repeats' }).click();
  await view.eval('window.__layerlabGraphView.renderNow()');
  assert.deepEqual(await countsOf(view).then((c) => [c.items, c.frames]), [61, 0]);
  const conv4 = graph.groups.find((g) => g.count === 5);
  assert.ok(conv4);
  // The cursor on the `repeat 5` line rings the folded box and brings it into view.
  await show(view, [{ type: 'cursor', position: conv4.range.start }]);
  assert.deepEqual(await highlighted(view), [conv4.id]);
  await clickBox(view, conv4.id);
  await view.eval('window.__layerlabGraphView.renderNow()');
  assert.deepEqual(await countsOf(view).then((c) => [c.items, c.frames]), [61 - 1 + 50, 1]);
  saveArtifact('graph-view-unfolded-one.png', await view.page.screenshot());
  assert.deepEqual((await view.posted()).at(-1), { type: 'reveal', range: conv4.range as GraphRange });
  // The frame's heading folds it back.
  await view.page.locator(`svg.graph g.frame[data-group="${conv4.id}"] .frame-heading`).click();
  await view.eval('window.__layerlabGraphView.renderNow()');
  assert.equal((await countsOf(view)).items, 61);
  await view.page.getByRole('button', { name: 'Unfold all' }).click();
  await view.eval('window.__layerlabGraphView.renderNow()');
  assert.equal((await countsOf(view)).items, 177);
  // The folds are kept in the webview state, for a reload.
  assert.deepEqual((await view.lastState() as { folded: string[] }).folded, []);
  await view.page.close();
});

test('size by parameters: a bar under each box with parameters, and a legend; by memory: under every box', async (t) => {
  const view = await openView(t);
  if (!view) return;
  await show(view, [residual()]);
  assert.equal(await view.page.locator('svg.graph rect.bar').count(), 0);
  await view.page.getByLabel('Box width and colour').selectOption('params');
  await view.eval('window.__layerlabGraphView.renderNow()');
  // Five convolutions and the Dense have parameters.
  assert.equal(await view.page.locator('svg.graph rect.bar').count(), 6);
  assert.match(await view.text('.legend'), /parameters \(square-root scale\); the widest, main: 9,248 params/);
  saveArtifact('graph-view-size-params.png', await view.page.screenshot());
  const widths = await view.page.locator('svg.graph g.node').evaluateAll((nodes) => Object.fromEntries(nodes.map((n) => [n.getAttribute('data-id'), Number(n.querySelector('rect.bar')?.getAttribute('width') ?? 0)])));
  assert.equal(widths['main'], 440);
  assert.ok((widths['conv2d_3'] ?? 0) < (widths['conv2d'] ?? 0) && (widths['conv2d'] ?? 0) < (widths['conv2d_2'] ?? 0));
  await view.page.getByLabel('Box width and colour').selectOption('memory');
  await view.eval('window.__layerlabGraphView.renderNow()');
  assert.equal(await view.page.locator('svg.graph rect.bar').count(), 14);
  assert.equal((await view.lastState() as { sizeBy: string }).sizeBy, 'memory');
  await view.page.close();
});

test('keyboard: + and − zoom about the middle, arrows pan, 0 fits the whole graph in view', async (t) => {
  const view = await openView(t);
  if (!view) return;
  await show(view, [graphMessage('examples/resnet50.model')]);
  await view.page.locator('.canvas').focus();
  const start = await viewportOf(view);
  await view.page.keyboard.press('+');
  assert.ok(Math.abs((await viewportOf(view)).scale - start.scale * 1.25) < 1e-9);
  await view.page.keyboard.press('-');
  assert.ok(Math.abs((await viewportOf(view)).scale - start.scale) < 1e-9);
  await view.page.keyboard.press('ArrowDown');
  assert.equal((await viewportOf(view)).y, start.y - 80);
  await view.page.keyboard.press('0');
  const fitted = await viewportOf(view);
  const counts = await countsOf(view);
  const canvas = await view.page.locator('.canvas').boundingBox();
  assert.ok(canvas);
  assert.ok(fitted.y >= 0 && fitted.y + counts.height * fitted.scale <= canvas.height + 1, 'the whole height in view');
  assert.ok(fitted.x >= 0 && fitted.x + counts.width * fitted.scale <= canvas.width + 1, 'the whole width in view');
  // Ctrl+wheel zooms about the pointer.
  await view.page.mouse.move(500, 400);
  await view.page.keyboard.down('Control');
  await view.page.mouse.wheel(0, -200);
  await view.page.keyboard.up('Control');
  await view.eval('window.__layerlabGraphView.renderNow()');
  assert.ok((await viewportOf(view)).scale > fitted.scale);
  await view.page.close();
});

test('export: an SVG document of the graph in the theme\'s colours, and a PNG of it', async (t) => {
  const view = await openView(t, { dark: true });
  if (!view) return;
  await show(view, [residual()]);
  await view.page.getByRole('button', { name: 'Export SVG' }).click();
  const svg = (await view.posted()).at(-1) as { fileName: string; data: string; encoding: string };
  assert.equal(svg.fileName, 'residual graph.svg');
  assert.equal(svg.encoding, 'utf8');
  let nodes = 0;
  const parser = sax.parser(true, {});
  parser.onopentag = (tag) => {
    if (tag.attributes['class'] === 'node') nodes++;
  };
  parser.write(svg.data).close();
  assert.equal(nodes, 14);
  assert.match(svg.data, /<rect width="\d+" height="\d+" fill="#1f1f1f"\/>/);
  await view.page.getByRole('button', { name: 'Export PNG' }).click();
  await view.page.waitForFunction(() => ((globalThis as unknown as { __posted: { fileName?: string }[] }).__posted.at(-1)?.fileName ?? '').endsWith('.png'));
  const png = (await view.posted()).at(-1) as { fileName: string; data: string; encoding: string };
  assert.equal(png.encoding, 'base64');
  const image = pngOf(png.data);
  assert.ok(image.width > 600 && image.height > 1500, `${image.width}×${image.height}`);
  assert.ok(luminance(pixel(image, 2, 2)) < 40, 'the dark background');
  saveArtifact('graph-view-export.png', Buffer.from(png.data, 'base64'));
  await view.page.close();
});

test('a model of 1,000 layers opens folded; unfolded, only the boxes in view are in the page', async (t) => {
  const view = await openView(t);
  if (!view) return;
  const graph = graphOfText(deepModel(142));
  // The input, a Conv2D, 142 blocks of 7 layers, the pooling and the classifier: 997 layers.
  assert.equal(graph.nodes.length, 1 + 1 + 142 * 7 + 2);
  await show(view, [{ type: 'graph', file: 'deep.model', models: ['deep'], graph }]);
  assert.equal((await countsOf(view)).items, 5, 'the repeat is one box');
  saveArtifact('graph-view-deep-folded.png', await view.page.screenshot());
  const repeatBox = await boxOf(view, graph.groups[0]?.id ?? '');
  await view.page.getByRole('button', { name: 'Unfold all' }).click();
  await view.eval('window.__layerlabGraphView.renderNow()');
  const counts = await countsOf(view);
  assert.equal(counts.items, graph.nodes.length);
  // Unfolded, the block's first layer takes the place its box had.
  const firstLayer = await boxOf(view, graph.groups[0]?.nodes[0] ?? '');
  assert.ok(repeatBox && firstLayer && Math.abs(firstLayer.y - repeatBox.y) <= 1, `${JSON.stringify(firstLayer)} where the block was, ${JSON.stringify(repeatBox)}`);
  // Home: the top of the model; of its 998 boxes, those in view (and a margin) are in the page.
  await view.page.locator('.canvas').focus();
  await view.page.keyboard.press('Home');
  await view.eval('window.__layerlabGraphView.renderNow()');
  const drawn = await view.eval<string[]>('window.__layerlabGraphView.drawnIds()');
  assert.ok(drawn.includes('input') && drawn.length > 5 && drawn.length < 60, `${drawn.length} boxes in the page`);
  assert.ok(!drawn.includes('dense'), 'the last layer is far below');
  // End goes to the bottom: the last boxes come in, the first go.
  await view.page.keyboard.press('End');
  await view.eval('window.__layerlabGraphView.renderNow()');
  const bottom = await view.eval<string[]>('window.__layerlabGraphView.drawnIds()');
  assert.ok(bottom.includes('dense') && !bottom.includes('input'), `the bottom boxes: ${bottom.slice(-5).join(', ')}`);
  await view.page.close();
});

test('more boxes than the view lays out: no drawing, a message that says what to do', async (t) => {
  const view = await openView(t);
  if (!view) return;
  const graph = graphOfText(`model flat {\n  input (4,)\n${'  Dense(4)\n'.repeat(2000)}}\n`);
  await show(view, [{ type: 'graph', file: 'flat.model', models: ['flat'], graph }]);
  assert.equal(await view.page.locator('svg.graph g.node').count(), 0);
  assert.match(await view.text('.status'), /^2,001 boxes are more than the 2,000 this view lays out: fold repeat blocks/);
  await view.page.close();
});

test('invalid messages are ignored with a warning', async (t) => {
  const view = await openView(t);
  if (!view) return;
  await view.send([null, 3, { type: 'graph' }, { type: 'graph', file: 'x', models: [], graph: { model: 1 } }, { type: 'cursor', position: { line: -1, character: 0 } }, { type: 'nope' }] as unknown as HostToGraphView[]);
  assert.equal(await view.eval<number>('window.__layerlabGraphView.invalidMessages()'), 6);
  assert.equal(view.warnings.filter((w) => w.includes('ignored an invalid message')).length, 6);
  assert.deepEqual(view.errors, []);
  await view.page.close();
});

test('a theme change redraws the boxes in the new colours', async (t) => {
  const view = await openView(t);
  if (!view) return;
  await show(view, [residual()]);
  const light = await view.page.locator('svg.graph g.node[data-id="dense"] rect.box').getAttribute('fill');
  // The dark palette's box fill, with no editor widget colour given.
  const darkFill = '#2a2d2e';
  await view.eval(`(() => { document.body.className = 'vscode-dark'; document.body.style.setProperty('--vscode-editor-background', '#1f1f1f'); })()`);
  await view.page.locator('svg.graph g.node[data-id="dense"] rect.box').and(view.page.locator(`rect[fill="${darkFill}"]`)).waitFor();
  assert.notEqual(light, darkFill);
  await view.page.close();
});
