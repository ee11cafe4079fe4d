import type { FileAnalysis } from '../analysis/analyze-file.js';
import type { Range, Statement } from '../syntax/ast.js';
import { blockHead, isBlock, walkStatements } from '../syntax/walk.js';
import type { Budget } from './budget.js';
import { compactShape } from './format.js';
import { instancesOf } from './locate.js';
import { outputShapesOf, shapeOf } from '../analysis/tensor-source.js';

export type OutlineKind = 'model' | 'layer' | 'input' | 'output' | 'block' | 'train' | 'tune';

export interface OutlineItem {
  readonly name: string;
  readonly detail: string;
  readonly kind: OutlineKind;
  /** The whole construct. */
  readonly range: Range;
  /** The part to select: its name. */
  readonly selection: Range;
  readonly children: readonly OutlineItem[];
}

export interface FoldingRange {
  readonly startLine: number;
  readonly endLine: number;
  readonly kind?: 'comment' | 'region';
}

/**
 * Models with their layers (by label or type, with the output shape), and train/tune blocks.
 * With a budget, each symbol takes one unit; the outline ends where the budget is spent.
 */
export function outline(analysis: FileAnalysis, budget?: Budget): OutlineItem[] {
  const items: OutlineItem[] = [];
  const fits = () => !budget || budget.take();
  for (const d of analysis.parse.ast.declarations) {
    if (!fits()) break;
    if (d.kind === 'model') {
      const model = analysis.models.find((m) => m.declaration === d);
      const params = model?.evaluated?.totals.params;
      const children: OutlineItem[] = [];
      const walk = (statements: readonly Statement[], into: OutlineItem[]) => {
        for (const s of statements) {
          if (s.kind !== 'from' && !fits()) return;
          if (s.kind === 'layer') {
            const instance = instancesOf(model, s)[0];
            const labels = [s.label, ...(s.moreLabels ?? [])].map((l) => l?.name ?? '_').join(', ');
            into.push({
              name: s.label || s.moreLabels ? `${labels} = ${s.call.callee.name}` : s.call.callee.name,
              detail: instance ? outputShapesOf(instance).map(compactShape).join(', ') : '',
              kind: 'layer',
              range: s.range,
              selection: s.label?.range ?? s.call.callee.range,
              children: [],
            });
          } else if (s.kind === 'input') {
            const input = model?.evaluated?.inputs.find((i) => i.statement === s);
            into.push({ name: s.label ? `${s.label.name} = input` : 'input', detail: input ? compactShape(input.shape) : '', kind: 'input', range: s.range, selection: s.keyword, children: [] });
          } else if (s.kind === 'output') {
            const outputs = model?.evaluated?.outputs ?? [];
            into.push({ name: `output ${s.names.map((n) => n.name).join(', ')}`, detail: outputs.map((o) => compactShape(shapeOf(o))).join(', '), kind: 'output', range: s.range, selection: s.keyword, children: [] });
          } else if (isBlock(s)) {
            const inner: OutlineItem[] = [];
            walk(s.body, inner);
            const head = analysis.text.slice(s.range.start, blockHead(s).range.end);
            into.push({ name: head, detail: '', kind: 'block', range: s.range, selection: s.keyword, children: inner });
          }
        }
      };
      walk(d.body ?? [], children);
      items.push({
        name: d.name.name,
        detail: [d.variantOf ? `= ${d.variantOf.base.name}(…)` : '', params !== undefined ? `${params.toLocaleString('en-US')} params` : ''].filter(Boolean).join(' · '),
        kind: 'model',
        range: d.range,
        selection: d.name.range,
        children,
      });
    } else {
      const name = `${d.kind} ${d.models.map((m) => m.name).join(', ')}`;
      const children = d.settings.map((s) => ({ name: s.name.name, detail: analysis.text.slice(s.value.range.start, s.value.range.end), kind: 'block' as const, range: s.range, selection: s.name.range, children: [] }));
      items.push({ name, detail: '', kind: d.kind, range: d.range, selection: d.keyword, children });
    }
  }
  return items;
}

/** Folds declarations, `repeat`/`if` blocks and runs of comment lines. */
export function foldingRanges(analysis: FileAnalysis): FoldingRange[] {
  const ranges: FoldingRange[] = [];
  const line = (offset: number) => analysis.lines.positionAt(offset).line;
  const add = (range: Range) => {
    const start = line(range.start);
    const end = line(Math.max(range.start, range.end - 1));
    if (end > start) ranges.push({ startLine: start, endLine: end });
  };
  for (const d of analysis.parse.ast.declarations) {
    add(d.range);
    if (d.kind === 'model') {
      walkStatements(d.body ?? [], (s) => {
        if (isBlock(s)) add(s.range);
      });
    }
  }
  let runStart = -1;
  let runEnd = -1;
  for (const comment of analysis.parse.comments) {
    const l = line(comment.startOffset);
    const ownLine = analysis.text.slice(analysis.lines.lineStart(l), comment.startOffset).trim() === '';
    if (!ownLine) continue;
    if (l === runEnd + 1 && runStart >= 0) runEnd = l;
    else {
      if (runEnd > runStart) ranges.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
      runStart = l;
      runEnd = l;
    }
  }
  if (runEnd > runStart) ranges.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
  return ranges.sort((a, b) => a.startLine - b.startLine);
}
