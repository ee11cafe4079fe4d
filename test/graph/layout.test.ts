import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { layoutEngine } from '../../language-server/src/cli/elk-engine.js';
import { modelGraph, type ModelGraph } from '../../language-server/src/features/model-graph.js';
import { layoutGraph, type ElkPoint, type GraphLayout, type PlacedItem } from '../../language-server/src/graph/layout.js';
import { defaultFolds, visibleGraph } from '../../language-server/src/graph/visible.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const engine = layoutEngine();

function graphOf(text: string): ModelGraph {
  const analysis = analyzeText(text);
  const model = analysis.models[0];
  assert.ok(model);
  const graph = modelGraph(analysis, model);
  assert.ok(graph);
  return graph;
}

const fixture = (path: string) => graphOf(readFileSync(join(root, path), 'utf8'));

function byId(layout: GraphLayout): Map<string, PlacedItem> {
  return new Map(layout.items.map((i) => [i.item.id, i]));
}

/** Segments of two edges that cross at a point inside both (not where they meet at an end, not running along each other). */
function crossings(layout: GraphLayout): number {
  const segments = layout.edges.map((e) => e.points.slice(1).map((p, i) => [e.points[i] as ElkPoint, p] as const));
  const cross = (a: readonly [ElkPoint, ElkPoint], b: readonly [ElkPoint, ElkPoint]): boolean => {
    const d = (p: ElkPoint, q: ElkPoint, r: ElkPoint) => (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
    const d1 = d(b[0], b[1], a[0]);
    const d2 = d(b[0], b[1], a[1]);
    const d3 = d(a[0], a[1], b[0]);
    const d4 = d(a[0], a[1], b[1]);
    return d1 * d2 < -1e-6 && d3 * d4 < -1e-6;
  };
  let count = 0;
  for (let i = 0; i < segments.length; i++)
    for (let j = i + 1; j < segments.length; j++) for (const a of segments[i] ?? []) for (const b of segments[j] ?? []) if (cross(a, b)) count++;
  return count;
}

function assertDrawnTopDown(layout: GraphLayout): void {
  const items = byId(layout);
  const near = (a: number, b: number) => Math.abs(a - b) <= 1;
  for (const { edge, points } of layout.edges) {
    const source = items.get(edge.source);
    const target = items.get(edge.target);
    assert.ok(source && target, `edge ${edge.id} joins drawn items`);
    const first = points[0];
    const last = points[points.length - 1];
    assert.ok(first && last, `edge ${edge.id} has a route`);
    // Out of the bottom of its source, into the top of its target, which is lower down.
    assert.ok(near(first.y, source.y + source.height) && first.x >= source.x - 1 && first.x <= source.x + source.width + 1, `${edge.id} starts on the bottom of ${edge.source}`);
    assert.ok(near(last.y, target.y) && last.x >= target.x - 1 && last.x <= target.x + target.width + 1, `${edge.id} ends on the top of ${edge.target}`);
    assert.ok(target.y > source.y + source.height, `${edge.target} is below ${edge.source}`);
  }
  // No two boxes overlap.
  const list = layout.items;
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      assert.ok(apart, `${a.item.id} and ${b.item.id} overlap`);
    }
}

test('the residual fixture is laid out top to bottom: every edge leaves its source at the bottom and enters its target at the top, no overlaps, no crossings', async () => {
  const graph = fixture('test/fixtures/residual.model');
  const layout = await layoutGraph(engine, graph, visibleGraph(graph, new Set()));
  assert.equal(layout.items.length, graph.nodes.length);
  assert.equal(layout.edges.length, graph.edges.length);
  assertDrawnTopDown(layout);
  assert.equal(crossings(layout), 0);
});

test('ResNet50: 177 boxes, 192 edges (16 shortcuts), repeat frames around their blocks, no edge crossing another', async () => {
  const graph = fixture('examples/resnet50.model');
  const layout = await layoutGraph(engine, graph, visibleGraph(graph, defaultFolds(graph)));
  // 176 layers and the input; each layer has one input, and each of the 16 Adds a second.
  assert.equal(layout.items.length, 177);
  assert.equal(layout.edges.length, 176 + 16);
  assertDrawnTopDown(layout);
  assert.equal(crossings(layout), 0);
  assert.equal(layout.frames.length, 4);
  const items = byId(layout);
  for (const frame of layout.frames) {
    for (const id of frame.frame.group.nodes) {
      const item = items.get(id);
      assert.ok(item, id);
      assert.ok(item.x >= frame.x && item.y >= frame.y && item.x + item.width <= frame.x + frame.width && item.y + item.height <= frame.y + frame.height, `${id} inside its repeat frame`);
    }
  }
});

test('a folded repeat is one box; edges into it are merged with their count, edges inside it are gone', async () => {
  const graph = graphOf('model m {\n  x = input (8, 8, 4)\n  repeat 3 {\n    Conv2D(4, 3, padding=same)\n    Add(x)\n  }\n  Flatten()\n}\n');
  const group = graph.groups[0];
  assert.ok(group);
  const folded = visibleGraph(graph, new Set([group.id]));
  assert.deepEqual(folded.items.map((i) => i.id), ['input', group.id, 'flatten']);
  // Into the block: the Conv2D of the first repetition and the three Adds, all from the input.
  assert.deepEqual(folded.edges.map((e) => [e.source, e.target, e.count]), [
    ['input', group.id, 4],
    [group.id, 'flatten', 1],
  ]);
  const layout = await layoutGraph(engine, graph, folded);
  assertDrawnTopDown(layout);
  assert.equal(layout.frames.length, 0);
  // Unfolded: seven layers and the input, 3 × 3 + 1 edges.
  const open = visibleGraph(graph, new Set());
  assert.equal(open.items.length, 8);
  assert.equal(open.edges.length, 10);
});

test('defaultFolds folds the largest outermost repeats of a large model until it is small enough to draw at once', () => {
  const graph = graphOf(`model deep {\n  input (16,)\n  repeat 200 {\n    Dense(16)\n    ReLU()\n  }\n  repeat 3 { Dense(16) }\n  Dense(1)\n}\n`);
  assert.equal(graph.nodes.length, 1 + 400 + 3 + 1);
  const folds = defaultFolds(graph);
  assert.deepEqual([...folds], [graph.groups.find((g) => g.count === 200)?.id]);
  assert.equal(visibleGraph(graph, folds).items.length, 1 + 1 + 3 + 1);
  assert.equal(defaultFolds(fixture('examples/resnet50.model')).size, 0);
});

test('sized by parameters: a bar under each box grows with the parameters (square root), the largest is 440 wide', async () => {
  const graph = graphOf('model m {\n  input (64,)\n  Dense(4)\n  Dense(400)\n  Dense(40)\n  ReLU()\n}\n');
  const layout = await layoutGraph(engine, graph, visibleGraph(graph, new Set()), 'params');
  const items = byId(layout);
  const share = (id: string) => items.get(id)?.share ?? -1;
  // Dense: (64 + 1)·4 = 260, (4 + 1)·400 = 2,000, (400 + 1)·40 = 16,040 parameters.
  assert.equal(share('dense_2'), 1);
  assert.ok(Math.abs(share('dense_1') - Math.sqrt(2000 / 16040)) < 1e-9);
  assert.ok(share('dense') < share('dense_1'));
  assert.equal(share('re_lu'), 0);
  assert.equal(items.get('dense_2')?.barWidth, 440);
  assert.equal(items.get('dense_2')?.width, 440);
  assert.equal(items.get('re_lu')?.barWidth, 0);
  for (const item of layout.items) assert.ok(item.width >= item.boxWidth && item.width >= item.barWidth && item.height > item.boxHeight);
  const memory = await layoutGraph(engine, graph, visibleGraph(graph, new Set()), 'memory');
  // Activations: Dense(400) holds the most; ReLU as much as the Dense(40) before it.
  const memoryShare = new Map(memory.items.map((i) => [i.item.id, i.share]));
  assert.equal(memoryShare.get('dense_1'), 1);
  assert.equal(memoryShare.get('re_lu'), memoryShare.get('dense_2'));
});
