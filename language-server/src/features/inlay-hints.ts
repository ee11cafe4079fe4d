import type { Budget } from './budget.js';
import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import type { LayerInstance, Repetition } from '../analysis/model-types.js';
import type { Range, Statement } from '../syntax/ast.js';
import { blockHead, isBlock, walkStatements } from '../syntax/walk.js';
import { compactShape, withCommas } from './format.js';
import { instancesOf } from './locate.js';
import { outputShapesOf, shapeOf } from '../analysis/tensor-source.js';

/** A layer's outputs as hints show them: `10×64`, or `10×64, 64, 64` for one with states. */
function outputsText(layer: LayerInstance): string {
  return layer.outputShapes ? outputShapesOf(layer).map(compactShape).join(', ') : compactShape(layer.outputShape);
}

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

/** How many times the enclosing `repeat`s run a statement: the product of their counts. */
function plannedRuns(repetitions: readonly Repetition[]): number {
  return repetitions.reduce((n, r) => n * r.count, 1);
}

/** `in all 3 repetitions`, or `in 3 of 5 repetitions` when an error stopped the rest. */
function runsText(runs: number, planned: number): string {
  if (runs < planned) return `in ${runs} of ${planned} repetitions`;
  return runs === 1 ? 'in 1 repetition' : `in all ${runs} repetitions`;
}

function layerHint(instances: readonly LayerInstance[], config: InlayHintsConfig): { label: string; tooltip?: string } | undefined {
  const first = instances[0];
  const last = instances[instances.length - 1];
  if (!first || !last) return undefined;
  const planned = plannedRuns(first.repetitions);
  if (instances.length === 1 && planned === 1) {
    const text = label(outputsText(first), paramsText(first.params), config);
    return text ? { label: text } : undefined;
  }
  // Inside `repeat`: the figures of one repetition, then how many repetitions there are (×N);
  // the `repeat` line gives the sum over all of them.
  const shapes = [...new Set(instances.map(outputsText))];
  const shape = shapes.length === 1 ? shapes[0] : `${outputsText(first)} … ${outputsText(last)}`;
  const params = instances.map((l) => l.params);
  const min = params.reduce((a, b) => Math.min(a, b));
  const max = params.reduce((a, b) => Math.max(a, b));
  const times = instances.length < planned ? `×${instances.length} of ${planned}` : `×${instances.length}`;
  const perRepetition = min === max ? paramsText(min) : `${withCommas(min)}–${withCommas(max)} params`;
  const text = label(shape, `${perRepetition} ${times}`, config);
  if (!text) return undefined;
  const total = params.reduce((a, b) => a + b, 0);
  const each = min === max ? `${paramsText(min)} in each repetition` : params.length <= 12 ? `Parameters per repetition: ${params.map(withCommas).join(', ')}` : `${withCommas(min)} to ${withCommas(max)} parameters per repetition`;
  const stopped = instances.length < planned ? ' (an error stops the rest)' : '';
  return { label: text, tooltip: `${each}; ${paramsText(total)} ${runsText(instances.length, planned)}${stopped}.` };
}

/** Distinct runs of a block's body, told apart by the repetition indices of the layers made in it. */
function blockRuns(inside: readonly LayerInstance[], depth: number): { runs: number; planned: number } {
  const keys = new Set(inside.map((l) => l.repetitions.slice(0, depth).map((r) => r.index).join(',')));
  return { runs: keys.size, planned: plannedRuns(inside[0]?.repetitions.slice(0, depth) ?? []) };
}

/** The line end when only a comment follows `offset` on its line (after `{` for a block), so the hint does not push it aside. */
function afterComment(text: string, offset: number, block: boolean): number {
  const newline = text.indexOf('\n', offset);
  const rest = text.slice(offset, newline < 0 ? text.length : newline);
  return (block ? /^\s*\{\s*#/ : /^\s*#/).test(rest) ? offset + rest.trimEnd().length : offset;
}

function collect(statements: readonly Statement[], model: ModelAnalysis, text: string, config: InlayHintsConfig, range: Range, out: InlayHint[], budget?: Budget): void {
  // A statement outside the range is left out with its body; once the budget refuses, no more hints.
  walkStatements(statements, (s) => {
    if (s.range.end < range.start || s.range.start > range.end) return 'skip';
    if (budget && !budget.take()) return 'stop';
    if (s.kind === 'layer') {
      const hint = layerHint(instancesOf(model, s), config);
      if (hint) out.push({ offset: afterComment(text, s.range.end, false), ...hint });
    } else if (s.kind === 'input') {
      const input = model.evaluated?.inputs.find((i) => i.statement === s);
      if (input && config.shapes && input.shape.length) out.push({ offset: afterComment(text, s.range.end, false), label: `→ ${compactShape(input.shape)}` });
    } else if (s.kind === 'output') {
      const outputs = model.evaluated?.outputs ?? [];
      if (config.shapes && outputs.length) out.push({ offset: afterComment(text, s.range.end, false), label: `→ ${outputs.map((o) => compactShape(shapeOf(o))).join(', ')}` });
    } else if (isBlock(s)) {
      const inside = (model.evaluated?.layers ?? []).filter((l) => l.statement.range.start >= s.range.start && l.statement.range.end <= s.range.end);
      const last = inside[inside.length - 1];
      const blockStart = afterComment(text, blockHead(s).range.end, true);
      if (last) {
        const total = inside.reduce((n, l) => n + l.params, 0);
        // The `repeat`s around the block, and a `repeat` itself: the block's body runs once per combination of their indices.
        const depth = last.repetitions.filter((r) => r.statement.start <= s.range.start && s.range.end <= r.statement.end).length;
        const { runs, planned } = blockRuns(inside, depth);
        const repeated = planned > 1 || runs > 1;
        const hintText = label(outputsText(last), repeated ? `${paramsText(total)} ${runsText(runs, planned)}` : paramsText(total), config);
        const layers = `${inside.length} layer${inside.length === 1 ? '' : 's'}`;
        const tooltip = repeated
          ? `${layers} ${runsText(runs, planned)} of this block${runs < planned ? ' (an error stops the rest)' : ''}: the shape after the last and the parameters of all of them`
          : `${layers} in this block; shape after it and parameters of all of them`;
        if (hintText) out.push({ offset: blockStart, label: hintText, tooltip });
      } else if (s.kind === 'if') {
        out.push({ offset: blockStart, label: '→ skipped' });
      }
    }
  });
}

/**
 * Hints after each layer: output shape and parameters; a block's summary on `repeat` / `if` lines.
 * With a budget, each statement in the range takes one unit; the hints end where it is spent.
 */
export function inlayHints(analysis: FileAnalysis, range: Range, config: InlayHintsConfig = defaultInlayHintsConfig, budget?: Budget): InlayHint[] {
  const out: InlayHint[] = [];
  for (const model of analysis.models) {
    const body = model.declaration.body;
    if (!body || model.declaration.range.end < range.start || model.declaration.range.start > range.end) continue;
    if (budget?.exhausted) break;
    collect(body, model, analysis.text, config, range, out, budget);
  }
  return out.sort((a, b) => a.offset - b.offset);
}
