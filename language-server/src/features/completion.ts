import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import { expectation } from '../analysis/arguments.js';
import { formatValue } from '../catalog/values.js';
import { activations } from '../catalog/common.js';
import { builtInDatasets, datasetConstructors } from '../catalog/datasets.js';
import { layerCatalog, findLayer } from '../catalog/layers.js';
import { augmentation, callbacks, lossAliases, losses, metricNames, optimizers, searchStrategies, trainSettings, type ObjectSpec } from '../catalog/training.js';
import type { ArgSpec, LayerSpec, Shape } from '../catalog/types.js';
import type { Statement } from '../syntax/ast.js';
import * as T from '../syntax/tokens.js';
import { isBlock, walkStatements } from '../syntax/walk.js';
import { instancesOf, labelsOf } from './locate.js';
import { shapeOf } from '../analysis/tensor-source.js';
import type { IToken } from 'chevrotain';
import { tokenContext, type TokenContext } from './token-context.js';

export type CompletionKind = 'layer' | 'keyword' | 'argument' | 'value' | 'label' | 'dataset' | 'model' | 'setting' | 'parameter' | 'object';

export interface CompletionItem {
  readonly label: string;
  readonly kind: CompletionKind;
  readonly detail?: string;
  /** Markdown. */
  readonly documentation?: string;
  /** Text to insert; a snippet (with `${1:placeholder}`) when `snippet` is true. */
  readonly insertText: string;
  readonly snippet: boolean;
  /** Orders items: lower first. */
  readonly sortText?: string;
}

export interface CompletionResult {
  readonly items: readonly CompletionItem[];
  /** The range the items replace: the identifier being typed. */
  readonly replace: { readonly start: number; readonly end: number };
}

const plain = (label: string, kind: CompletionKind, detail?: string, documentation?: string): CompletionItem => ({
  label,
  kind,
  insertText: label,
  snippet: false,
  ...(detail ? { detail } : {}),
  ...(documentation ? { documentation } : {}),
});

const positionalArgs = (spec: LayerSpec): readonly ArgSpec[] => spec.args.filter((a) => a.required);

function layerItem(spec: LayerSpec): CompletionItem {
  const required = positionalArgs(spec);
  const placeholders = spec.merge ? ['${1:label}'] : required.map((a, i) => `\${${i + 1}:${a.name}}`);
  const signature = spec.merge ? `${spec.name}(label)` : `${spec.name}(${required.map((a) => a.name).join(', ')})`;
  return {
    label: spec.name,
    kind: 'layer',
    detail: `${signature} · ${spec.family}`,
    documentation: spec.doc,
    insertText: `${spec.name}(${placeholders.join(', ')})$0`,
    snippet: true,
  };
}

function objectItem(object: ObjectSpec, kind: CompletionKind = 'object'): CompletionItem {
  return { label: object.name, kind, detail: `${object.name}(${Object.entries(object.args).map(([k, v]) => `${k}=${v}`).join(', ')})`, documentation: object.doc, insertText: `${object.name}($1)$0`, snippet: true };
}

/** Whether a layer takes an input of `rank` axes (batch axis not counted). */
function accepts(spec: LayerSpec, rank: number): boolean {
  const wanted = spec.inputRank;
  return !wanted || (rank >= wanted.min && (wanted.max === undefined || rank <= wanted.max));
}

/** Layers that take the current input first (then the rest), each group in name order; unchanged when the input is unknown. */
function ranked(item: CompletionItem, fits: boolean | undefined): CompletionItem {
  return fits === undefined ? item : { ...item, sortText: `${fits ? '0' : '1'}${item.label}` };
}

/**
 * The shape that reaches a statement written at `offset`: the output of the last input, layer or `from`
 * before it (after a `repeat` block, of its last repetition). Undefined when an error or a false `if` leaves it unknown.
 */
function shapeBefore(model: ModelAnalysis, offset: number): Shape | undefined {
  const evaluated = model.evaluated;
  let last: Statement | undefined;
  walkStatements(model.declaration.body ?? [], (s) => {
    if (s.range.start >= offset) return 'stop';
    if (!isBlock(s) && s.range.end <= offset) last = s;
  });
  if (!evaluated || !last) return undefined;
  switch (last.kind) {
    case 'input': {
      const input = evaluated.inputs.find((i) => i.statement === last);
      return input?.shape.length ? input.shape : undefined;
    }
    case 'layer':
      return instancesOf(model, last).at(-1)?.outputShape;
    case 'from': {
      const source = evaluated.labels.get(last.target.name);
      return source ? shapeOf(source) : undefined;
    }
    default:
      return undefined;
  }
}

function currentModel(analysis: FileAnalysis, context: TokenContext): ModelAnalysis | undefined {
  return analysis.models.find((m) => m.name === context.declarationName);
}

/** The labels of the model's tensors, with their shapes where known: what `output` and `initial_state=` name. */
function labelItems(model: ModelAnalysis | undefined, detail: string): CompletionItem[] {
  return [...labelsOf(model?.body?.body ?? [])].map((label) => {
    const source = model?.evaluated?.labels.get(label);
    return plain(label, 'label', source ? `${detail} · ${shapeOf(source).map((d) => d ?? '?').join('×') || 'scalar'}` : detail);
  });
}

/** Whether the cursor is in the list of an `output` statement: after `output`, or after `output a, `. */
function inOutputList(tokens: readonly IToken[], before: number): boolean {
  let i = tokens.findIndex((t) => t.startOffset >= before);
  if (i < 0) i = tokens.length;
  // Back over `name ,` pairs to what starts the list.
  for (let expectComma = true; i > 0; expectComma = !expectComma) {
    const token = tokens[i - 1];
    if (!token) return false;
    if (token.tokenType === T.Output) return expectComma;
    if (token.tokenType !== (expectComma ? T.Comma : T.Identifier)) return false;
    i--;
  }
  return false;
}

function parameterItems(model: ModelAnalysis | undefined): CompletionItem[] {
  return (model?.body?.parameters ?? []).map((p) => plain(p.name.name, 'parameter', `parameter of ${model?.name ?? ''}`));
}

function argumentValueItems(arg: ArgSpec, model: ModelAnalysis | undefined): CompletionItem[] {
  switch (arg.type.kind) {
    case 'enum':
      return arg.type.values.map((v) => plain(v, 'value', `${arg.name}`));
    case 'activation':
      return activations.map((v) => plain(v, 'value', 'activation'));
    case 'bool':
      return [plain('true', 'value'), plain('false', 'value'), ...parameterItems(model)];
    case 'layer':
      return [...layerCatalog.values()].filter((s) => !s.merge && !s.wrapper).map(layerItem);
    default:
      return parameterItems(model);
  }
}

function callCompletions(context: TokenContext, analysis: FileAnalysis): CompletionItem[] | undefined {
  const call = context.call;
  if (!call) return undefined;
  const model = currentModel(analysis, context);
  const spec = findLayer(call.callee);
  const previous = context.before[context.before.length - 1];
  const afterEquals = previous?.tokenType === T.Equals;
  if (spec) {
    if (afterEquals && call.currentName === 'initial_state' && spec.states) return labelItems(model, 'initial state');
    if (afterEquals && call.currentName) {
      const arg = spec.args.find((a) => a.name === call.currentName || a.aliases?.includes(call.currentName ?? ''));
      return arg ? argumentValueItems(arg, model) : [];
    }
    const items: CompletionItem[] = spec.args
      .filter((a) => !call.namedBefore.includes(a.name))
      .map((a, i) => ({
        label: `${a.name}=`,
        kind: 'argument' as const,
        detail: a.required ? 'required' : `default ${a.default ? formatValue(a.default) : 'None'}`,
        documentation: `${a.doc}  \nIt ${expectation(a.type)}.`,
        insertText: `${a.name}=`,
        snippet: false,
        sortText: String(i).padStart(3, '0'),
      }));
    if (spec.states && !call.namedBefore.includes('initial_state')) {
      items.push({
        label: 'initial_state=',
        kind: 'argument',
        detail: 'the labels of the initial states, e.g. (h, c)',
        documentation: 'The tensors the layer starts from instead of zeros, as Keras\'s `layer(x, initial_state=[h, c])`: one per state (LSTM: h and c; GRU, SimpleRNN: h), each (None, units).',
        insertText: 'initial_state=',
        snippet: false,
        sortText: '999',
      });
    }
    if (spec.merge && model?.body?.body) for (const label of labelsOf(model.body.body)) items.unshift({ ...plain(label, 'label', 'labelled tensor to merge'), sortText: '000' });
    if (spec.wrapper && call.argumentIndex === 0) items.unshift(...argumentValueItems({ name: 'layer', type: { kind: 'layer' }, doc: '' }, model));
    if (!afterEquals) {
      const positional = spec.args[call.argumentIndex];
      if (positional && call.namedBefore.length === 0) items.unshift(...argumentValueItems(positional, model).map((i) => ({ ...i, sortText: '000' })));
    }
    return items;
  }
  if (datasetConstructors.has(call.callee)) {
    const constructor = datasetConstructors.get(call.callee);
    return (constructor?.args ?? []).map((a) => plain(`${a}=`, 'argument'));
  }
  const object = [...optimizers, ...losses, ...callbacks, augmentation, ...searchStrategies].find((o) => o.name === call.callee);
  if (object) {
    if (afterEquals && call.currentName === 'monitor') return metricNames.map((m) => plain(m, 'value'));
    if (afterEquals) return [];
    return Object.entries(object.args)
      .filter(([k]) => !call.namedBefore.includes(k))
      .map(([k, v]) => ({ ...plain(`${k}=`, 'argument', `default ${v}`), insertText: `${k}=` }));
  }
  return [];
}

function settingValueItems(setting: string, analysis: FileAnalysis): CompletionItem[] {
  switch (setting) {
    case 'dataset':
      return [
        ...[...builtInDatasets.values()].map((d) => plain(d.name, 'dataset', `${d.shape.join('×')}, ${d.classes} classes`, d.doc)),
        { label: 'images', kind: 'dataset', detail: 'your images, one folder per class', insertText: 'images("${1:folder}", size=(${2:64}, ${3:64}))$0', snippet: true },
        { label: 'idx', kind: 'dataset', detail: 'IDX files as MNIST', insertText: 'idx("${1:images}", "${2:labels}")$0', snippet: true },
      ];
    case 'optimizer':
      return optimizers.map((o) => objectItem(o));
    case 'loss':
      return [...losses.map((o) => objectItem(o)), ...[...lossAliases.keys()].map((k) => plain(k, 'value', `= ${lossAliases.get(k) ?? ''}()`))];
    case 'early_stopping':
    case 'reduce_lr':
      return callbacks.filter((c) => (setting === 'early_stopping') === (c.name === 'EarlyStopping')).map((c) => objectItem(c));
    case 'augment':
      return [objectItem(augmentation)];
    case 'search':
      return searchStrategies.map((o) => objectItem(o));
    case 'objective':
      return metricNames.map((m) => plain(m, 'value'));
    case 'validation':
      return [plain('test', 'value', 'validate on the test set'), plain('0.1', 'value', 'hold out 10% of the training data')];
    case 'shuffle':
      return [plain('true', 'value'), plain('false', 'value')];
    default:
      void analysis;
      return [];
  }
}

/** Characters that open an argument: typing one inside a call shows signature help, which a list would cover. */
const argumentStarts = new Set(['(', ',', ' ']);

const openers = new Set([T.LParen, T.LBracket, T.Comma]);

/**
 * Completion at `offset`, from the tokens before it (works while the line is half-typed).
 * `triggerCharacter`: the character whose typing asked for it, if any (LSP's trigger character).
 */
export function complete(analysis: FileAnalysis, offset: number, triggerCharacter?: string): CompletionResult {
  const context = tokenContext(analysis.text, analysis.parse.tokens, offset);
  const replace = { start: context.prefixStart, end: offset };
  const result = (items: readonly CompletionItem[]): CompletionResult => ({ items, replace });
  const previous = context.before[context.before.length - 1];
  const previous2 = context.before[context.before.length - 2];

  // `Conv2D(`, `Conv2D(32, ` or `Conv2D(32, (3, `: signature help shows the arguments; a list popping up with it
  // would hide it. Typing a letter (or asking for completion) still lists argument names and values; `=` still lists values.
  const argumentStart = previous !== undefined && openers.has(previous.tokenType);
  if (triggerCharacter !== undefined && argumentStarts.has(triggerCharacter) && context.insideBracket && argumentStart && context.prefix === '') return result([]);

  const inCall = callCompletions(context, analysis);
  if (inCall) return result(inCall);
  // `initial_state=(h, |`: the labels of the states.
  if (context.enclosingCall?.currentName === 'initial_state' && findLayer(context.enclosingCall.callee)?.states) return result(labelItems(currentModel(analysis, context), 'initial state'));
  // Inside a tuple or list (`input (28, `, `kernel_size=(3, `, `units in [16, `): values, never layer names or settings.
  if (context.insideBracket) return result(context.block === 'model' || context.block === 'repeat' || context.block === 'if' ? parameterItems(currentModel(analysis, context)) : []);

  // Headers: `train a, |`, `tune |`, `model b = |`.
  if (previous && (previous.tokenType === T.Train || previous.tokenType === T.Tune || (previous.tokenType === T.Comma && context.block === 'top'))) {
    return result(analysis.models.map((m) => plain(m.name, 'model', m.evaluated ? `${m.evaluated.totals.params.toLocaleString('en-US')} params` : undefined)));
  }
  if (previous?.tokenType === T.Equals && previous2?.tokenType === T.Identifier && context.block === 'top') {
    return result(analysis.models.filter((m) => m.name !== previous2.image).map((m) => ({ label: m.name, kind: 'model' as const, insertText: `${m.name}($1)$0`, snippet: true })));
  }

  if (context.block === 'model' || context.block === 'repeat' || context.block === 'if') {
    const model = currentModel(analysis, context);
    if (previous?.tokenType === T.From) return result([...labelsOf(model?.body?.body ?? [])].map((l) => plain(l, 'label', 'labelled tensor')));
    if (inOutputList(analysis.parse.tokens, context.prefixStart)) return result(labelItems(model, 'model output'));
    if (previous?.tokenType === T.Input) return result([...builtInDatasets.values()].map((d) => plain(d.name, 'dataset', `(${d.shape.join(', ')})`, d.doc)));
    if (previous && (previous.tokenType === T.Repeat || previous.tokenType === T.If)) return result(parameterItems(model));
    const rank = model ? shapeBefore(model, context.prefixStart)?.length : undefined;
    const layers = [...layerCatalog.values()].map((spec) => ranked(layerItem(spec), rank === undefined ? undefined : accepts(spec, rank)));
    const keyword = (item: CompletionItem) => ranked(item, rank === undefined ? undefined : true);
    if (previous?.tokenType === T.Equals) return result([...layers, keyword(plain('input', 'keyword'))]);
    const keywords: CompletionItem[] = [
      { label: 'input', kind: 'keyword', detail: 'the model input: a shape or a dataset', insertText: 'input ${1:(28, 28, 1)}$0', snippet: true },
      { label: 'from', kind: 'keyword', detail: 'continue from a labelled tensor', insertText: 'from ${1:label}$0', snippet: true },
      { label: 'output', kind: 'keyword', detail: 'the model\'s outputs, by label: its last statement', insertText: 'output ${1:label}$0', snippet: true },
      { label: 'repeat', kind: 'keyword', detail: 'repeat a block N times', insertText: 'repeat ${1:2} {\n\t$0\n}', snippet: true },
      { label: 'if', kind: 'keyword', detail: 'keep a block when a parameter is true', insertText: 'if ${1:flag} {\n\t$0\n}', snippet: true },
    ];
    return result([...layers, ...keywords.map(keyword)]);
  }

  if (context.block === 'train' || context.block === 'tune') {
    if (previous?.tokenType === T.Equals && previous2?.tokenType === T.Identifier) return result(settingValueItems(previous2.image, analysis));
    if (previous?.tokenType === T.In || previous?.tokenType === T.DotDot) return result([]);
    const settings = trainSettings.filter((s) => context.block === 'tune' || !s.tuneOnly);
    const items: CompletionItem[] = settings.map((s) => ({ label: s.name, kind: 'setting', detail: `default ${s.default}`, documentation: s.doc, insertText: `${s.name} = `, snippet: false }));
    if (context.block === 'tune') {
      const model = analysis.models.find((m) => analysis.tunes.some((t) => t.declaration.models.some((n) => n.name === m.name) && t.declaration.range.start < offset && t.declaration.range.end >= offset));
      for (const p of model?.body?.parameters ?? []) items.unshift({ label: p.name.name, kind: 'parameter', detail: 'search this parameter', insertText: `${p.name.name} in \${1:1}..\${2:5}$0`, snippet: true });
    }
    return result(items);
  }

  return result([
    { label: 'model', kind: 'keyword', detail: 'a new model', insertText: 'model ${1:name} {\n\tinput ${2:(28, 28, 1)}\n\t$0\n}', snippet: true },
    { label: 'train', kind: 'keyword', detail: 'train models on a dataset', insertText: 'train ${1:model} {\n\tdataset = ${2:mnist}\n\tepochs = ${3:10}\n}', snippet: true },
    { label: 'tune', kind: 'keyword', detail: 'search hyperparameters', insertText: 'tune ${1:model} {\n\tdataset = ${2:mnist}\n\t$0\n}', snippet: true },
  ]);
}
