import type { FileAnalysis, TuneAnalysis } from '../analysis/analyze-file.js';
import { formatNumber } from '../catalog/values.js';
import type { Range, TrainDeclaration } from '../syntax/ast.js';
import type { InlayHint } from './inlay-hints.js';
import type { TextEdit } from './navigation.js';

export type SearchedValue = number | boolean | string;

/** The outcome of a finished (or stopped) search, as read from `.layerlab/tune/<name>/`. */
export interface TuneBest {
  readonly values: Readonly<Record<string, SearchedValue>>;
  readonly objective: string;
  readonly score: number;
  /** Trials that finished, of which the best is `values`. */
  readonly trials: number;
}

/** Looks up a search's saved result; the language server reads it from disk, tests pass a map. */
export type TuneResultLookup = (tune: TuneAnalysis) => TuneBest | undefined;

export function formatSearchedValue(value: SearchedValue): string {
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return /^[A-Za-z_]\w*$/.test(value) ? value : `'${value.replace(/'/g, "\\'")}'`;
}

function scoreText(best: TuneBest): string {
  return `${best.objective} = ${Number(best.score.toPrecision(4))}`;
}

/** After a search: `best: 208` after each searched parameter of the `tune` block. */
export function tuneResultHints(analysis: FileAnalysis, lookup: TuneResultLookup, range: Range): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const tune of analysis.tunes) {
    const { declaration } = tune;
    if (declaration.range.end < range.start || declaration.range.start > range.end) continue;
    const best = lookup(tune);
    if (!best) continue;
    for (const parameter of declaration.searchParameters) {
      const value = best.values[parameter.name.name];
      if (value === undefined) continue;
      hints.push({ offset: parameter.range.end, label: `best: ${formatSearchedValue(value)}`, tooltip: `Best of ${best.trials} trial${best.trials === 1 ? '' : 's'} (${scoreText(best)}). Use the code action "Apply best values" to make these the model's defaults.` });
    }
  }
  return hints;
}

/** The `tune` block the range touches. */
export function tuneAt(analysis: FileAnalysis, range: Range): TuneAnalysis | undefined {
  return analysis.tunes.find((t) => t.declaration.range.start <= range.end && range.start <= t.declaration.range.end);
}

function indentOfLine(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

/** Sets `name = value` in a train block: replaces the setting's value, or adds a line after the last setting. */
function setTrainSetting(text: string, block: TrainDeclaration, name: string, value: string): TextEdit | undefined {
  const existing = block.settings.find((s) => s.name.name === name);
  if (existing) return { range: existing.value.range, newText: value };
  const last = block.settings[block.settings.length - 1];
  if (!last) return undefined;
  return { range: { start: last.range.end, end: last.range.end }, newText: `\n${indentOfLine(text, last.range.start)}${name} = ${value}` };
}

/**
 * "Apply best values": the best point becomes the defaults of the tuned models'
 * parameters (`model m(units = 208)`) and, for searched training settings, the
 * setting of the `train` blocks that train those models.
 */
export function applyBestValuesEdits(analysis: FileAnalysis, tune: TuneAnalysis, best: TuneBest): TextEdit[] {
  const edits: TextEdit[] = [];
  const edited = new Set<string>();
  const once = (edit: TextEdit | undefined) => {
    if (!edit) return;
    const key = `${edit.range.start}:${edit.range.end}`;
    if (edited.has(key)) return;
    edited.add(key);
    edits.push(edit);
  };
  for (const dimension of tune.dimensions) {
    const value = best.values[dimension.name];
    if (value === undefined) continue;
    const text = formatSearchedValue(value);
    for (const model of tune.models) {
      if (dimension.target === 'model') {
        // A variant that sets the parameter (`model wide = base(units = 64)`) keeps it there.
        const variantArgument = model.declaration.variantOf?.args.find((a) => a.name?.name === dimension.name);
        if (variantArgument) {
          once({ range: variantArgument.value.range, newText: text });
          continue;
        }
        const declaration = model.body ?? model.declaration;
        const parameter = declaration.parameters.find((p) => p.name.name === dimension.name);
        if (!parameter) continue;
        once(parameter.defaultValue ? { range: parameter.defaultValue.range, newText: text } : { range: { start: parameter.name.range.end, end: parameter.name.range.end }, newText: ` = ${text}` });
      } else {
        for (const training of analysis.trainings) {
          if (training.models.some((m) => m.name === model.name)) once(setTrainSetting(analysis.text, training.declaration, dimension.name, text));
        }
      }
    }
  }
  return edits.sort((a, b) => a.range.start - b.range.start);
}
