import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import type { ResolvedArgs } from '../analysis/arguments.js';
import type { LayerInstance, ModelInput, TensorSource } from '../analysis/model-types.js';
import type { Shape } from '../catalog/types.js';
import type { Value } from '../catalog/values.js';
import type { LayerSpec } from '../catalog/types.js';

const pythonKeywords = new Set(['and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'None', 'True', 'False', 'keras', 'layers', 'inputs', 'x']);

/** A value as a Python literal: numbers as written, names and texts as strings. */
export function pythonLiteral(value: Value): string {
  switch (value.kind) {
    case 'number':
      return String(value.value);
    case 'string':
      return JSON.stringify(value.value);
    case 'symbol':
      return JSON.stringify(value.name);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
    case 'error':
      return 'None';
    case 'tuple':
      return value.items.length === 1 ? `(${pythonLiteral(value.items[0] ?? { kind: 'none' })},)` : `(${value.items.map(pythonLiteral).join(', ')})`;
    case 'call':
      return `${value.callee}(...)`;
  }
}

/** The layer constructor with the arguments the user gave, in Keras order, parameters substituted. */
function constructor(spec: LayerSpec, args: ResolvedArgs, inner: string | undefined): string {
  const parts: string[] = [];
  for (const arg of spec.args) {
    if (!args.given(arg.name)) continue;
    if (arg.type.kind === 'layer') {
      if (inner) parts.push(inner);
      continue;
    }
    parts.push(`${arg.name}=${pythonLiteral(args.value(arg.name))}`);
  }
  return `layers.${spec.name}(${parts.join(', ')})`;
}

function variable(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_]/g, '_');
  return pythonKeywords.has(safe) ? `${safe}_` : safe;
}

function pythonShape(shape: Shape): string {
  return `(${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${shape.length === 1 ? ',' : ''})`;
}

/** One name, or a list of several: `x`, `[a, b]`. */
function oneOrList(names: readonly string[]): string {
  return names.length === 1 ? (names[0] ?? 'x') : `[${names.join(', ')}]`;
}

/**
 * The Python variables a layer's outputs go to: its labels, `x` for an unlabelled output (only the next
 * statement takes it) and `_` for an unlabelled later output (nothing can take it).
 */
function targetsOf(layer: LayerInstance): string[] {
  const labels = [layer.label, ...(layer.statement.moreLabels ?? []).map((l) => l.name)];
  const count = layer.outputShapes?.length ?? 1;
  return Array.from({ length: count }, (_, i) => {
    const label = labels[i];
    return label ? variable(label) : i === 0 ? 'x' : '_';
  });
}

/** A runnable Keras 3 (functional API) definition of the evaluated model: its inputs in order, every layer it keeps, its outputs. */
export function kerasCode(analysis: FileAnalysis, model: ModelAnalysis): string {
  void analysis;
  const e = model.evaluated;
  if (!e?.input) return `# ${model.name} cannot be exported: it has errors; fix them first.\n`;
  const names = new Map<LayerInstance | ModelInput, readonly string[]>();
  const reference = (source: TensorSource): string => (source.kind === 'input' ? names.get(source.input)?.[0] : names.get(source.layer)?.[source.index]) ?? 'x';
  const lines = ['import keras', 'from keras import layers', '', '', `def build_${variable(model.name)}():`];
  for (const input of e.inputs) {
    const target = input.label ? variable(input.label) : 'inputs';
    lines.push(`    ${target} = keras.Input(shape=${pythonShape(input.shape)}${input.label ? `, name=${JSON.stringify(input.name)}` : ''})`);
    names.set(input, [target]);
  }
  for (const layer of e.layers.filter((l) => !e.discarded.has(l))) {
    const targets = targetsOf(layer);
    const inner = layer.inner ? constructor(layer.inner.spec, layer.inner.args, undefined) : undefined;
    const call = constructor(layer.spec, layer.args, inner).replace(/\)$/, layer.label && !layer.args.given('name') ? `${layer.spec.args.some((a) => layer.args.given(a.name) && a.type.kind !== 'layer') || inner ? ', ' : ''}name=${JSON.stringify(layer.name)})` : ')');
    const inputs = layer.inputs.map(reference);
    // A merge takes its tensors as a list; a recurrent layer takes its sequence, and its initial states by keyword.
    const applied = layer.spec.merge ? oneOrList(inputs) : inputs.length > 1 ? `${inputs[0] ?? 'x'}, initial_state=[${inputs.slice(1).join(', ')}]` : (inputs[0] ?? 'x');
    lines.push(`    ${targets.join(', ')} = ${call}(${applied})`);
    names.set(layer, targets);
  }
  const inputs = oneOrList(e.inputs.map((i) => names.get(i)?.[0] ?? 'inputs'));
  const outputs = e.outputs.length ? oneOrList(e.outputs.map(reference)) : inputs;
  lines.push(`    return keras.Model(${inputs}, ${outputs}, name=${JSON.stringify(model.name)})`, '', '', `model = build_${variable(model.name)}()`, 'model.summary()', '');
  return lines.join('\n');
}
