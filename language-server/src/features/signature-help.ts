import type { FileAnalysis } from '../analysis/analyze-file.js';
import { formatValue } from '../catalog/values.js';
import { baseArgs } from '../catalog/common.js';
import { findLayer } from '../catalog/layers.js';
import { augmentation, callbacks, losses, optimizers, searchStrategies } from '../catalog/training.js';
import { tokenContext } from './token-context.js';

export interface SignatureHelp {
  readonly label: string;
  /** Markdown. */
  readonly documentation: string;
  readonly parameters: readonly { readonly label: readonly [number, number]; readonly documentation: string }[];
  readonly activeParameter: number;
}

/** The signature of the call the cursor is in (also inside a tuple argument), Keras argument order, with the current argument. */
export function signatureHelp(analysis: FileAnalysis, offset: number): SignatureHelp | undefined {
  const context = tokenContext(analysis.text, analysis.parse.tokens, offset);
  const call = context.enclosingCall;
  if (!call) return undefined;
  const spec = findLayer(call.callee);
  let entries: { name: string; text: string; doc: string }[];
  let documentation: string;
  if (spec) {
    const shown = spec.args.filter((a) => !baseArgs.includes(a));
    entries = shown.map((a) => ({ name: a.name, text: a.required ? a.name : `${a.name}=${a.default ? formatValue(a.default) : 'None'}`, doc: a.doc }));
    if (spec.merge) entries.unshift({ name: '*labels', text: '*labels', doc: 'Labelled tensors merged with the current one.' });
    documentation = spec.doc;
  } else {
    const object = [...optimizers, ...losses, ...callbacks, augmentation, ...searchStrategies].find((o) => o.name === call.callee);
    if (!object) return undefined;
    entries = Object.entries(object.args).map(([k, v]) => ({ name: k, text: `${k}=${v}`, doc: '' }));
    documentation = object.doc;
  }
  let label = `${call.callee}(`;
  const parameters = entries.map((e, i) => {
    if (i > 0) label += ', ';
    const start = label.length;
    label += e.text;
    return { label: [start, label.length] as const, documentation: e.doc };
  });
  label += ')';
  const byName = call.currentName ? entries.findIndex((e) => e.name === call.currentName) : -1;
  const activeParameter = byName >= 0 ? byName : spec?.merge ? 0 : Math.min(call.argumentIndex, Math.max(0, entries.length - 1));
  return { label, documentation, parameters, activeParameter };
}
