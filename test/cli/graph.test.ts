import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sax from 'sax';
import { PNG } from 'pngjs';
import { analyzeText } from '../../language-server/src/analysis/analyze-file.js';
import { runCli } from '../../language-server/src/cli/main.js';
import { summaryJson } from '../../language-server/src/features/summary-json.js';

const root = join(fileURLToPath(import.meta.url), '../../../..');
const work = mkdtempSync(join(tmpdir(), 'layerlab-graph-'));

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await runCli(args, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  assert.ok(typeof status === 'number');
  return { code: status, out, err };
}

interface SvgNode {
  readonly id: string;
  readonly kind: string;
  readonly type: string;
  readonly shape: string | undefined;
  readonly error: boolean;
  /** The text of its lines, one string per <text>. */
  readonly lines: string[];
}

interface ParsedSvg {
  width: number;
  height: number;
  background: string | undefined;
  readonly nodes: SvgNode[];
  readonly edges: { source: string; target: string; count: number }[];
  readonly frames: string[];
  readonly totals: string[];
}

/** Parses the SVG with a strict XML parser (it fails on anything that is not well-formed) and reads its boxes and edges. */
function parseSvg(text: string): ParsedSvg {
  const parser = sax.parser(true, {});
  const result: ParsedSvg = { width: 0, height: 0, background: undefined, nodes: [], edges: [], frames: [], totals: [] };
  const stack: { name: string; attributes: Record<string, string> }[] = [];
  let node: SvgNode | undefined;
  let inTotals = false;
  let textDepth = -1;
  let line = '';
  parser.onerror = (error) => {
    throw error;
  };
  parser.onopentag = (tag) => {
    const attributes = tag.attributes as Record<string, string>;
    stack.push({ name: tag.name, attributes });
    if (tag.name === 'svg') {
      result.width = Number(attributes['width']);
      result.height = Number(attributes['height']);
    }
    if (tag.name === 'rect' && stack.length === 2) result.background = attributes['fill'];
    const cls = attributes['class'];
    if (tag.name === 'g' && cls === 'node') {
      node = { id: attributes['data-id'] ?? '', kind: attributes['data-kind'] ?? '', type: attributes['data-type'] ?? '', shape: attributes['data-shape'], error: attributes['data-error'] === 'true', lines: [] };
      result.nodes.push(node);
    }
    if (tag.name === 'g' && cls === 'edge') result.edges.push({ source: attributes['data-source'] ?? '', target: attributes['data-target'] ?? '', count: Number(attributes['data-count']) });
    if (tag.name === 'g' && cls === 'frame') result.frames.push(attributes['data-group'] ?? '');
    if (tag.name === 'g' && cls === 'totals') inTotals = true;
    if (tag.name === 'text') {
      textDepth = stack.length;
      line = '';
    }
  };
  parser.ontext = (text) => {
    if (textDepth > 0) line += text;
  };
  parser.onclosetag = (name) => {
    if (name === 'text' && stack.length === textDepth) {
      if (node) node.lines.push(line);
      else if (inTotals) result.totals.push(line);
      textDepth = -1;
    }
    const closed = stack.pop();
    if (name === 'g' && closed?.attributes['class'] === 'node') node = undefined;
    if (name === 'g' && closed?.attributes['class'] === 'totals') inTotals = false;
  };
  parser.write(text).close();
  return result;
}

const shapeText = (shape: readonly (number | null)[]) => shape.map((d) => (d === null ? '?' : String(d))).join('×');

/** Checks every layer Keras would list (from `layerlab summary --json`, the oracle) against the boxes: one each, with its type and output shape. */
function assertOneBoxPerLayer(svg: ParsedSvg, file: string, model: string): void {
  const summary = summaryJson(file, analyzeText(readFileSync(file, 'utf8')), model).models[0];
  assert.ok(summary, model);
  const layers = svg.nodes.filter((n) => n.kind === 'layer');
  assert.equal(layers.length, summary.layers.length, `${model}: one box per layer`);
  assert.equal(svg.nodes.filter((n) => n.kind === 'input').length, 1, `${model}: one input box`);
  for (const layer of summary.layers) {
    const boxes = layers.filter((n) => n.id === layer.name);
    assert.equal(boxes.length, 1, `${model}: one box for ${layer.name}`);
    const box = boxes[0]!;
    assert.equal(box.type, layer.type);
    assert.equal(box.shape, shapeText(layer.output_shape));
    assert.ok(box.lines.some((l) => l.startsWith(`→ ${shapeText(layer.output_shape)}`)), `${model}: ${layer.name} shows its shape: ${box.lines.join(' | ')}`);
    assert.ok(box.lines[0]?.startsWith(layer.type), `${model}: ${layer.name}'s first line names its type`);
    if (layer.params > 0) assert.ok(box.lines.some((l) => l.includes(`${layer.params.toLocaleString('en-US')} param`)), `${model}: ${layer.name} shows its parameters`);
  }
  assert.ok(svg.totals[1]?.startsWith(`${summary.total_params.toLocaleString('en-US')} param`), svg.totals.join(' | '));
}

test('every model of the examples: one box per layer with its type, shape and parameters; a sequential model has one edge per layer', async () => {
  const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.model'));
  assert.ok(files.length >= 3);
  let checked = 0;
  for (const name of files) {
    const file = join(root, 'examples', name);
    for (const model of analyzeText(readFileSync(file, 'utf8')).models) {
      const out = join(work, `${model.name}.svg`);
      const { code, err } = await cli('graph', file, '--model', model.name, '--out', out);
      assert.equal(code, 0, err);
      assert.match(err, new RegExp(`graph: .*${model.name}\\.svg \\(${model.name}, \\d+ boxes`));
      const svg = parseSvg(readFileSync(out, 'utf8'));
      assertOneBoxPerLayer(svg, file, model.name);
      if (model.name === 'resnet50') {
        // 176 layers take one input each; each of the 16 Adds takes a second: the shortcut.
        assert.equal(svg.edges.length, 176 + 16);
        assert.equal(svg.edges.filter((e) => svg.nodes.find((n) => n.id === e.target)?.type === 'Add').length, 32);
        assert.equal(svg.frames.length, 4);
      } else {
        // Sequential: each layer's edge comes from the box before it.
        const order = svg.nodes.map((n) => n.id);
        assert.deepEqual(
          svg.edges.map((e) => [e.source, e.target]),
          order.slice(1).map((id, i) => [order[i], id]),
        );
      }
      checked++;
    }
  }
  assert.ok(checked >= 5, `${checked} models drawn`);
});

test('the residual fixture: each connection the file writes is one edge', async () => {
  const file = join(root, 'test/fixtures/residual.model');
  const out = join(work, 'residual.svg');
  const { code, err } = await cli('graph', file, '--out', out);
  assert.equal(code, 0, err);
  const svg = parseSvg(readFileSync(out, 'utf8'));
  assertOneBoxPerLayer(svg, file, 'residual');
  const edges = svg.edges.map((e) => `${e.source}>${e.target}`).sort();
  // Written out from the fixture: the input's box is `input` (labelled img), labels name their layers.
  assert.deepEqual(edges, [
    'add>block1',
    'add_1>merged',
    'block1>conv2d_2',
    'block1>conv2d_3',
    'block1>max_pooling2d',
    'concatenate>global_average_pooling2d',
    'conv2d>conv2d_1',
    'conv2d_1>add',
    'conv2d_2>main',
    'conv2d_3>add_1',
    'global_average_pooling2d>dense',
    'input>add',
    'input>conv2d',
    'main>add_1',
    'max_pooling2d>concatenate',
    'merged>concatenate',
  ]);
  assert.equal(svg.background, '#ffffff');
});

test('--theme dark, --by params and --fold change the drawing; the figures stay', async () => {
  const file = join(root, 'examples/resnet50.model');
  const out = join(work, 'resnet50-dark.svg');
  const { code, err } = await cli('graph', file, '--out', out, '--theme', 'dark', '--by', 'params', '--fold');
  assert.equal(code, 0, err);
  assert.match(err, /4 repeat blocks folded/);
  const text = readFileSync(out, 'utf8');
  const svg = parseSvg(text);
  assert.equal(svg.background, '#1f1f1f');
  // Folded: the 4 identity-block repeats (2 + 3 + 5 + 2 blocks of 10 layers) are one box each.
  assert.equal(svg.nodes.filter((n) => n.kind === 'folded').length, 4);
  assert.equal(svg.nodes.length, 177 - 120 + 4);
  // A bar under each box with parameters: the convolutions, normalisations, the Dense and the folded blocks.
  assert.equal((text.match(/class="bar"/g) ?? []).length, svg.nodes.filter((n) => n.kind === 'folded' || ['Conv2D', 'BatchNormalization', 'Dense'].includes(n.type)).length);
  assert.ok(svg.totals[1]?.startsWith('25,636,712 params'));
});

test('a model with errors is drawn with them marked, and the status is 1', async () => {
  const file = join(work, 'broken.model');
  writeFileSync(file, 'model broken {\n  input (4,)\n  Dense(8)\n  Conv2D(4, 3)\n  Dense(2)\n}\n');
  const out = join(work, 'broken.svg');
  const { code, err } = await cli('graph', file, '--out', out);
  assert.equal(code, 1);
  assert.match(err, /broken\.model:4:3: error: Conv2D expects an input of rank 3/);
  const svg = parseSvg(readFileSync(out, 'utf8'));
  assert.deepEqual(svg.nodes.map((n) => [n.kind, n.type, n.error]), [
    ['input', 'Input', false],
    ['layer', 'Dense', false],
    ['pending', 'Conv2D', true],
    ['pending', 'Dense', false],
  ]);
  assert.ok(svg.nodes[2]?.lines.some((l) => l.startsWith('⚠ Conv2D expects')));
  assert.deepEqual(svg.nodes[3]?.lines, ['Dense', 'not analysed']);
  assert.match(svg.totals.join('\n'), /1 error/);
});

test('--out FILE.png: a PNG at twice the size, when @resvg/resvg-js is installed', async (t) => {
  try {
    await import('@resvg/resvg-js');
  } catch {
    t.skip('@resvg/resvg-js is not installed here (an optional dependency)');
    return;
  }
  const svgOut = join(work, 'mnist.svg');
  const pngOut = join(work, 'mnist.png');
  assert.equal((await cli('graph', join(root, 'examples/mnist_cnn.model'), '--out', svgOut)).code, 0);
  const { code, err } = await cli('graph', join(root, 'examples/mnist_cnn.model'), '--out', pngOut, '--theme', 'dark');
  assert.equal(code, 0, err);
  const svg = parseSvg(readFileSync(svgOut, 'utf8'));
  const png = PNG.sync.read(readFileSync(pngOut));
  assert.equal(png.width, 2 * svg.width);
  assert.equal(png.height, 2 * svg.height);
  // The dark background in a corner, and drawn text somewhere: not a blank picture.
  assert.deepEqual([...png.data.subarray(0, 3)], [0x1f, 0x1f, 0x1f]);
  const distinct = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4 * 97) distinct.add(((png.data[i] ?? 0) << 16) | ((png.data[i + 1] ?? 0) << 8) | (png.data[i + 2] ?? 0));
  assert.ok(distinct.size > 20, `${distinct.size} colours`);
});

test('a model of more boxes than Layerlab lays out (2,000) is refused with what to do, and nothing is written', async () => {
  const file = join(work, 'flat.model');
  writeFileSync(file, `model flat {\n  input (4,)\n${'  Dense(4)\n'.repeat(2000)}}\n`);
  const out = join(work, 'flat.svg');
  const { code, err } = await cli('graph', file, '--out', out);
  assert.equal(code, 1);
  assert.match(err, /flat would be 2,001 boxes even with its repeat blocks folded, more than the 2,000 Layerlab lays out; write its repeated layers in a repeat block/);
  assert.throws(() => readFileSync(out), /ENOENT/);
});

test('usage problems say what to do and exit 2', async () => {
  const file = join(root, 'examples/mnist_cnn.model');
  const cases: [string[], RegExp][] = [
    [['graph', file], /--out FILE\.svg or --out FILE\.png/],
    [['graph', file, '--out', join(work, 'x.jpg')], /must end in \.svg or \.png/],
    [['graph', file, '--out', join(work, 'x.svg'), '--model', 'nope'], /has no model named nope; it has mnist_cnn, mnist_cnn_wide, mnist_dense/],
    [['graph', file, '--out', join(work, 'x.svg'), '--theme', 'blue'], /choose light or dark/],
    [['graph', file, '--out', join(work, 'x.svg'), '--by', 'flops'], /choose params or memory/],
    [['graph', join(work, 'missing.model'), '--out', join(work, 'x.svg')], /cannot read .*missing\.model: no such file/],
    [['graph', '--out', join(work, 'x.svg')], /expected exactly one FILE/],
  ];
  for (const [args, message] of cases) {
    const { code, err } = await cli(...args);
    assert.equal(code, 2, args.join(' '));
    assert.match(err, message);
  }
  const help = await cli('graph', '--help');
  assert.equal(help.code, 0);
  assert.match(help.out, /^Usage: layerlab graph FILE/);
});
