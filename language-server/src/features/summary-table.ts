import type { EvaluatedModel } from '../analysis/model-types.js';
import { compact, kerasShape, readableBytes, withCommas } from './format.js';

/** The rows of a summary, as Keras writes them: `name (Type) [repetition]`, output shape, parameters. */
export function summaryRows(model: EvaluatedModel): [string, string, string][] {
  return model.layers
    .filter((layer) => !model.discarded.has(layer))
    .map((layer) => {
      const repeat = layer.repetitions.length ? ` [${layer.repetitions.map((r) => `${r.index}/${r.count}`).join(',')}]` : '';
      return [`${layer.name} (${layer.spec.name})${repeat}`, kerasShape(layer.outputShape), withCommas(layer.params)];
    });
}

/** A Keras 3 style `model.summary()` table for one evaluated model. */
export function summaryTable(model: EvaluatedModel): string {
  const rows = summaryRows(model);
  const headers = ['Layer (type)', 'Output Shape', 'Param #'];
  // A loop, not Math.max(...rows): a model of 200,000 layers would overflow the stack with spread arguments.
  const widths = headers.map((h, i) => rows.reduce((width, r) => Math.max(width, (r[i] ?? '').length), h.length) + 2);
  const [w0, w1, w2] = [widths[0] ?? 0, widths[1] ?? 0, widths[2] ?? 0];
  const cell = (text: string, width: number, right = false) => ` ${right ? text.padStart(width - 2) : text.padEnd(width - 2)} `;
  const line = (l: string, m: string, r: string, fill: string) => `${l}${fill.repeat(w0)}${m}${fill.repeat(w1)}${m}${fill.repeat(w2)}${r}`;
  const out: string[] = [];
  out.push(`Model: "${model.name}"`);
  out.push(line('┏', '┳', '┓', '━'));
  out.push(`┃${cell(headers[0] ?? '', w0)}┃${cell(headers[1] ?? '', w1)}┃${cell(headers[2] ?? '', w2, true)}┃`);
  out.push(line('┡', '╇', '┩', '━'));
  rows.forEach((r, i) => {
    out.push(`│${cell(r[0] ?? '', w0)}│${cell(r[1] ?? '', w1)}│${cell(r[2] ?? '', w2, true)}│`);
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
