import type { EvaluatedModel, LayerInstance } from '../analysis/model-types.js';
import { kerasTensorName, outputShapesOf } from '../analysis/tensor-source.js';
import { compact, kerasShape, readableBytes, withCommas } from './format.js';
import { kerasLayout } from './keras-graph.js';

/** A summary's columns and rows, as Keras writes them. */
export interface SummaryLayout {
  readonly headers: readonly string[];
  /** Per column, whether its cells are right-aligned. */
  readonly right: readonly boolean[];
  readonly rows: readonly (readonly string[])[];
}

/** `(None, 10)`, or the list Keras prints for a layer with several outputs: `[(None, 10, 64), (None, 64), (None, 64)]`. */
function outputText(layer: LayerInstance): string {
  const shapes = outputShapesOf(layer);
  return shapes.length === 1 ? kerasShape(layer.outputShape) : `[${shapes.map(kerasShape).join(', ')}]`;
}

/**
 * The rows of a summary, as Keras 3 writes them: `name (Type) [repetition]`, output shape, parameters. A model
 * Keras would build as `Sequential` lists its layers; any other (several inputs or outputs, branches, merges) is
 * a functional model: its InputLayers too, in Keras's order, with "Connected to" (`lstm[0][1]`) unless Keras
 * finds it sequential-like.
 */
export function summaryLayout(model: EvaluatedModel): SummaryLayout {
  const layout = kerasLayout(model);
  const connected = !layout.sequentialLike;
  const headers = connected ? ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'] : ['Layer (type)', 'Output Shape', 'Param #'];
  const rows: string[][] = [];
  for (const node of layout.nodes) {
    if (node.kind === 'input') {
      if (layout.sequential) continue;
      rows.push([`${node.input.name} (InputLayer)`, kerasShape(node.input.shape), '0', ...(connected ? ['-'] : [])]);
      continue;
    }
    const layer = node.layer;
    const repeat = layer.repetitions.length ? ` [${layer.repetitions.map((r) => `${r.index}/${r.count}`).join(',')}]` : '';
    const row = [`${layer.name} (${layer.spec.name})${repeat}`, outputText(layer), withCommas(layer.params)];
    if (connected) row.push(layer.inputs.map(kerasTensorName).join(', '));
    rows.push(row);
  }
  return { headers, right: headers.map((h) => h === 'Param #'), rows };
}

/** A Keras 3 style `model.summary()` table for one evaluated model. */
export function summaryTable(model: EvaluatedModel): string {
  const { headers, right, rows } = summaryLayout(model);
  // A loop, not Math.max(...rows): a model of 200,000 layers would overflow the stack with spread arguments.
  const widths = headers.map((h, i) => rows.reduce((width, r) => Math.max(width, (r[i] ?? '').length), h.length) + 2);
  const cell = (text: string, i: number) => {
    const width = (widths[i] ?? 2) - 2;
    return ` ${right[i] ? text.padStart(width) : text.padEnd(width)} `;
  };
  const line = (l: string, m: string, r: string, fill: string) => `${l}${widths.map((w) => fill.repeat(w)).join(m)}${r}`;
  const out: string[] = [];
  out.push(`Model: "${model.name}"`);
  out.push(line('┏', '┳', '┓', '━'));
  out.push(`┃${headers.map((h, i) => cell(h, i)).join('┃')}┃`);
  out.push(line('┡', '╇', '┩', '━'));
  rows.forEach((r, i) => {
    out.push(`│${headers.map((_, c) => cell(r[c] ?? '', c)).join('│')}│`);
    if (i < rows.length - 1) out.push(line('├', '┼', '┤', '─'));
  });
  out.push(line('└', '┴', '┘', '─'));
  const t = model.totals;
  out.push(` Total params: ${withCommas(t.params)} (${readableBytes(t.params * 4)})`);
  out.push(` Trainable params: ${withCommas(t.trainable)} (${readableBytes(t.trainable * 4)})`);
  out.push(` Non-trainable params: ${withCommas(t.nonTrainable)} (${readableBytes(t.nonTrainable * 4)})`);
  if (t.macs !== null) out.push(` Multiply-adds: ${compact(t.macs)} per sample (${compact(2 * t.macs)} FLOPs)`);
  if (!model.complete) out.push(' (incomplete: an error stopped the analysis; totals cover the layers before it)');
  return out.join('\n');
}
