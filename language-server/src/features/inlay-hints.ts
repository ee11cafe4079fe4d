import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import type { LayerInstance } from '../analysis/model-types.js';
import type { Range, Statement } from '../syntax/ast.js';
import { compactShape, withCommas } from './format.js';
import { instancesOf } from './locate.js';

export interface InlayHintsConfig {
  readonly shapes: boolean;
  readonly parameters: boolean;
}

export interface InlayHint {
  /** Offset the hint is shown at (after the statement). */
  readonly offset: number;
  readonly label: string;
  /** Longer text for the hint's tooltip. */
  readonly tooltip?: string;
}

export const defaultInlayHintsConfig: InlayHintsConfig = { shapes: true, parameters: true };

function paramsText(n: number): string {
  return `${withCommas(n)} param${n === 1 ? '' : 's'}`;
}

function label(shape: string | undefined, params: string | undefined, config: InlayHintsConfig): string | undefined {
  const parts: string[] = [];
  if (config.shapes && shape) parts.push(shape);
  if (config.parameters && params) parts.push(params);
  return parts.length ? `→ ${parts.join(' · ')}` : undefined;
}

function layerLabel(instances: readonly LayerInstance[], config: InlayHintsConfig): string | undefined {
  const first = instances[0];
  const last = instances[instances.length - 1];
  if (!first || !last) return undefined;
  if (instances.length === 1) return label(compactShape(first.outputShape), paramsText(first.params), config);
  const shapes = [...new Set(instances.map((l) => compactShape(l.outputShape)))];
  const shape = shapes.length === 1 ? shapes[0] : `${compactShape(first.outputShape)} … ${compactShape(last.outputShape)}`;
  const params = instances.map((l) => l.params);
  const same = params.every((p) => p === params[0]);
  const total = params.reduce((a, b) => a + b, 0);
  return label(shape, same ? `${paramsText(first.params)} ×${instances.length}` : `${paramsText(total)} in ${instances.length}`, config);
}

function collect(statements: readonly Statement[], model: ModelAnalysis, config: InlayHintsConfig, range: Range, out: InlayHint[]): void {
  for (const s of statements) {
    if (s.range.end < range.start || s.range.start > range.end) continue;
    if (s.kind === 'layer') {
      const text = layerLabel(instancesOf(model, s), config);
      if (text) out.push({ offset: s.range.end, label: text });
    } else if (s.kind === 'input') {
      const input = model.evaluated?.input;
      if (input && input.statement === s && config.shapes && input.shape.length) out.push({ offset: s.range.end, label: `→ ${compactShape(input.shape)}` });
    } else if (s.kind === 'repeat' || s.kind === 'if') {
      const inside = (model.evaluated?.layers ?? []).filter((l) => l.repetitions.some((r) => r.statement === s.range) || (s.kind === 'if' && l.statement.range.start >= s.range.start && l.statement.range.end <= s.range.end));
      const last = inside[inside.length - 1];
      const blockStart = s.kind === 'repeat' ? s.count.range.end : s.condition.range.end;
      if (last) {
        const total = inside.reduce((n, l) => n + l.params, 0);
        const text = label(compactShape(last.outputShape), paramsText(total), config);
        if (text) out.push({ offset: blockStart, label: text, tooltip: `${inside.length} layer${inside.length === 1 ? '' : 's'} in this block; shape after it and parameters of all of them` });
      } else if (s.kind === 'if') {
        out.push({ offset: blockStart, label: '→ skipped' });
      }
      collect(s.body, model, config, range, out);
    }
  }
}

/** Hints after each layer: output shape and parameters; a block's summary on `repeat` / `if` lines. */
export function inlayHints(analysis: FileAnalysis, range: Range, config: InlayHintsConfig = defaultInlayHintsConfig): InlayHint[] {
  const out: InlayHint[] = [];
  for (const model of analysis.models) {
    const body = model.declaration.body;
    if (!body || model.declaration.range.end < range.start || model.declaration.range.start > range.end) continue;
    collect(body, model, config, range, out);
  }
  return out.sort((a, b) => a.offset - b.offset);
}
