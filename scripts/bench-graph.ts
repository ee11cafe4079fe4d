// The model graph's cost: layout (ELK) and drawing of ResNet50 (177 boxes) and of a residual
// network of 1,000 layers, in the graph view in headless Chromium (as the webview runs it) and
// in Node (as `layerlab graph` runs it). Prints figures; not a test (timings vary by machine).
//   npm run bench:graph
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../language-server/src/analysis/analyze-file.js';
import { layoutEngine } from '../language-server/src/cli/elk-engine.js';
import { modelGraph, type ModelGraph } from '../language-server/src/features/model-graph.js';
import { layoutGraph } from '../language-server/src/graph/layout.js';
import { lightPalette } from '../language-server/src/graph/palette.js';
import { graphSvg } from '../language-server/src/graph/svg.js';
import { defaultFolds, visibleGraph } from '../language-server/src/graph/visible.js';
import { deepModel } from '../test/graph-view/fixtures.js';
import { chromiumPath, graphView, launchChromium, repoRoot, WebviewPage } from '../test/view/browser.js';

function graphOf(text: string): ModelGraph {
  const analysis = analyzeText(text);
  const model = analysis.models[0];
  const graph = model && modelGraph(analysis, model);
  if (!graph) throw new Error('the benchmark model does not analyse');
  return graph;
}

const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number) => `${value.toFixed(0)} ms`;

const resnet = readFileSync(join(repoRoot, 'examples/resnet50.model'), 'utf8');
const cases = [
  { name: 'ResNet50', text: resnet, unfold: false },
  { name: '1,000 layers, folded', text: deepModel(142), unfold: false },
  { name: '1,000 layers, unfolded', text: deepModel(142), unfold: true },
];

async function inNode(): Promise<void> {
  console.log('layerlab graph (Node: analysis, graph, ELK layout, SVG text); first run, then the median of 5:');
  const engine = layoutEngine();
  for (const c of cases) {
    const times: number[] = [];
    let boxes = 0;
    for (let i = 0; i < 6; i++) {
      const started = performance.now();
      const graph = graphOf(c.text);
      const layout = await layoutGraph(engine, graph, visibleGraph(graph, c.unfold ? new Set() : defaultFolds(graph)));
      graphSvg(graph, layout, lightPalette);
      times.push(performance.now() - started);
      boxes = layout.items.length;
    }
    console.log(`  ${c.name.padEnd(24)} ${String(boxes).padStart(5)} boxes   first ${ms(times[0] ?? NaN).padStart(8)}   then ${ms(median(times.slice(1))).padStart(8)}`);
  }
}

async function inChromium(): Promise<void> {
  const path = chromiumPath();
  if (!path) {
    console.log('graph view: no Chromium (set LAYERLAB_CHROMIUM or install /usr/bin/chromium); skipped');
    return;
  }
  const browser = await launchChromium(path);
  try {
    console.log('graph view (headless Chromium): from the graph message to the boxes drawn (layout + drawing), a fresh page each; then an edit:');
    for (const c of cases) {
      const graph = graphOf(c.text);
      const view = await WebviewPage.open(browser, {}, graphView);
      let started = Date.now();
      await view.send([{ type: 'graph', file: 'bench.model', models: [graph.model], graph }]);
      await view.eval('window.__layerlabGraphView.renderNow()');
      if (c.unfold) {
        // From the folded view (1,000 layers open folded): Unfold all, until drawn.
        started = Date.now();
        await view.page.getByRole('button', { name: 'Unfold all' }).click();
        await view.eval('window.__layerlabGraphView.renderNow()');
      }
      const first = Date.now() - started;
      const timings = await view.eval<{ layout: number; draw: number }>('window.__layerlabGraphView.timings()');
      const counts = await view.eval<{ items: number }>('window.__layerlabGraphView.counts()');
      const drawn = await view.eval<string[]>('window.__layerlabGraphView.drawnIds()');
      // An edit: the same model again (the layout engine is warm now).
      const edits: number[] = [];
      for (let i = 0; i < 3; i++) {
        const again = Date.now();
        await view.send([{ type: 'graph', file: 'bench.model', models: [graph.model], graph }]);
        await view.eval('window.__layerlabGraphView.renderNow()');
        edits.push(Date.now() - again);
      }
      // Panning: the drawing of each step (boxes in and out of the page).
      await view.page.locator('.canvas').focus();
      const pans: number[] = [];
      for (let i = 0; i < 20; i++) {
        await view.page.keyboard.press('Shift+ArrowDown');
        await view.eval('window.__layerlabGraphView.renderNow()');
        pans.push((await view.eval<{ draw: number }>('window.__layerlabGraphView.timings()')).draw);
      }
      console.log(
        `  ${c.name.padEnd(24)} ${String(counts.items).padStart(5)} boxes (${String(drawn.length).padStart(3)} in the page)   first ${ms(first).padStart(7)} (ELK ${ms(timings.layout)}, drawing ${timings.draw.toFixed(1)} ms)   edit ${ms(median(edits)).padStart(7)}   pan step ${median(pans).toFixed(1)} ms`,
      );
      await view.page.close();
    }
  } finally {
    await browser.close();
  }
}

await inNode();
await inChromium();
