import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import type { ResolvedArgs } from '../analysis/arguments.js';
import type { LayerInstance } from '../analysis/model-types.js';
import type { Value } from '../catalog/values.js';
import type { LayerSpec } from '../catalog/types.js';

const pythonKeywords = new Set(['and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'None', 'True', 'False', 'keras', 'layers', 'inputs', 'x']);

function python(value: Value): string {
  switch (value.kind) {
    case 'number':
      return Number.isInteger(value.value) ? String(value.value) : String(value.value);
    case 'string':
      return JSON.stringify(value.value);
    case 'symbol':
      return JSON.stringify(value.name);
    case 'bool':
      return value.value ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple':
      return value.items.length === 1 ? `(${python(value.items[0] ?? { kind: 'none' })},)` : `(${value.items.map(python).join(', ')})`;
    case 'call':
      return `${value.callee}(...)`;
    case 'error':
      return 'None';
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
    parts.push(`${arg.name}=${python(args.value(arg.name))}`);
  }
  return `layers.${spec.name}(${parts.join(', ')})`;
}

function variable(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_]/g, '_');
  return pythonKeywords.has(safe) ? `${safe}_` : safe;
}

/** A runnable Keras 3 (functional API) definition of the evaluated model. */
export function kerasCode(analysis: FileAnalysis, model: ModelAnalysis): string {
  void analysis;
  const e = model.evaluated;
  if (!e?.input) return `# ${model.name} cannot be exported: it has errors; fix them first.\n`;
  const names = new Map<LayerInstance | undefined, string>();
  const inputName = e.input.label ? variable(e.input.label) : 'inputs';
  names.set(undefined, inputName);
  const shape = `(${e.input.shape.map((d) => (d === null ? 'None' : String(d))).join(', ')}${e.input.shape.length === 1 ? ',' : ''})`;
  const lines = ['import keras', 'from keras import layers', '', '', `def build_${variable(model.name)}():`, `    ${inputName} = keras.Input(shape=${shape})`];
  for (const layer of e.layers.filter((l) => !e.discarded.has(l))) {
    const target = layer.label ? variable(layer.label) : 'x';
    const inner = layer.inner ? constructor(layer.inner.spec, layer.inner.args, undefined) : undefined;
    const call = constructor(layer.spec, layer.args, inner).replace(/\)$/, layer.label && !layer.args.given('name') ? `${layer.spec.args.some((a) => layer.args.given(a.name) && a.type.kind !== 'layer') || inner ? ', ' : ''}name=${JSON.stringify(layer.name)})` : ')');
    const inputs = layer.inputs.map((p) => names.get(p) ?? 'x');
    const applied = inputs.length > 1 ? `[${inputs.join(', ')}]` : (inputs[0] ?? 'x');
    lines.push(`    ${target} = ${call}(${applied})`);
    names.set(layer, target);
  }
  const output = e.output ? (names.get(e.output) ?? 'x') : inputName;
  lines.push(`    return keras.Model(${inputName}, ${output}, name=${JSON.stringify(model.name)})`, '', '', `model = build_${variable(model.name)}()`, 'model.summary()', '');
  return lines.join('\n');
}
