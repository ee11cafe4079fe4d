import { parameterName } from './hyperparameters.js';
import { reachableNodes } from './keras-runtime.js';
import { formatPythonNumber, type PyValue, type HyperParameter, type InputNode, type KerasModel, type LayerNode, type MappedLayer, type ModelArgument, type ModelValue, type SymbolicBlock, type Tensor } from './py-values.js';
import { foldRepeats } from './repeat-folding.js';
import { render, type Label, type Piece, type Statement } from './statements.js';

/**
 * A model's graph → the `.model` body: layers in the order the code created them, each taking
 * the current tensor; `from` where a layer starts from another one; labels where a tensor is
 * used again (merges, `from`, several outputs), named after Keras's `name=` or the Python
 * variable; several `input` statements and an `output` statement for several inputs and outputs;
 * then runs of identical statements folded into `repeat`.
 */

const reserved = new Set(['model', 'input', 'output', 'from', 'repeat', 'if', 'train', 'tune', 'in', 'step', 'log', 'true', 'false', 'none', 'True', 'False', 'None']);
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const commutativeMerges = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum']);

export function isLabelName(name: string): boolean {
  return identifier.test(name) && !reserved.has(name);
}

export interface WrittenModel {
  /** `model NAME(...) {` … `}` */
  readonly lines: readonly string[];
  /** The model's parameters (a Keras Tuner search), with their `.model` names. */
  readonly parameters: readonly { readonly name: string; readonly parameter: HyperParameter }[];
}

export interface WriteOptions {
  /** Fold runs of identical statements into `repeat` (on by default). */
  readonly fold?: boolean;
}

export function writeModel(name: string, model: KerasModel, options: WriteOptions = {}): WrittenModel {
  const parameters = (model.parameters ?? []).filter((p) => p.inModel && !p.fixed && !p.setting).map((parameter) => ({ name: parameterName(parameter.name), parameter }));
  const body = modelBody(model, new Set(parameters.map((p) => p.name)), options);
  const header = parameters.length ? `model ${name}(${parameters.map((p) => `${p.name} = ${plainValue(p.parameter.defaultValue)}`).join(', ')}) {` : `model ${name} {`;
  return { lines: [header, ...render(body, '  '), '}'], parameters };
}

/** The statements of a model's body (exported for the shape oracle, which analyses a part of a graph). */
export function modelBody(model: Pick<KerasModel, 'inputs' | 'outputs'>, taken: ReadonlySet<string>, options: WriteOptions = {}): Statement[] {
  const sequencer = new Sequencer(model.inputs, model.outputs, taken);
  const flat = sequencer.statements();
  const grouped = groupBlocks(flat);
  return options.fold === false ? grouped : foldRepeats(grouped);
}

class Sequencer {
  private readonly labels = new Map<Tensor, Label>();
  private readonly wanted: Tensor[] = [];
  private readonly emittedInputs = new Set<Tensor>();
  private current: Tensor | undefined;
  private readonly out: (Statement & { kind: 'line' })[] = [];
  /** Statements that make one tensor, to be written `label = ...` when the tensor gets a label. */
  private readonly pendingSingle = new Map<Statement & { kind: 'line' }, Tensor | undefined>();

  constructor(
    private readonly inputs: readonly Tensor[],
    private readonly outputs: readonly Tensor[],
    private readonly taken: ReadonlySet<string>,
  ) {}

  statements(): (Statement & { kind: 'line' })[] {
    const nodes = reachableNodes(this.outputs, this.inputs);
    for (const node of nodes) this.layer(node);
    const last = this.current;
    const onlyOutput = this.outputs.length === 1 ? this.outputs[0] : undefined;
    if (this.outputs.length > 1 || (onlyOutput && onlyOutput !== last)) {
      const pieces: Piece[] = ['output '];
      this.outputs.forEach((t, i) => {
        if (t.node.kind === 'input') this.ensureInput(t, []);
        if (i > 0) pieces.push(', ');
        pieces.push(this.label(t));
      });
      this.out.push({ kind: 'line', defines: [], pieces, blocks: [] });
    }
    for (const t of this.inputs) if (!this.emittedInputs.has(t) && nodes.length === 0) this.ensureInput(t, []);
    this.nameLabels();
    return this.out;
  }

  private label(t: Tensor): Label {
    let label = this.labels.get(t);
    if (!label) {
      const fixedName = t.index === 0 ? (t.node.kind === 'input' ? t.node.name : t.node.layer.name) : undefined;
      label = { name: '', fixed: fixedName !== undefined && isLabelName(fixedName) };
      this.labels.set(t, label);
      this.wanted.push(t);
    }
    return label;
  }

  private ensureInput(t: Tensor, blocks: readonly SymbolicBlock[]): void {
    if (this.emittedInputs.has(t)) return;
    this.emittedInputs.add(t);
    const node = t.node as InputNode;
    const shape = node.shape;
    if (!shape) {
      this.out.push({ kind: 'line', defines: [], pieces: [`# input: its shape is not known`], blocks });
      this.current = t;
      return;
    }
    // Several inputs are told apart by their labels; a named Input keeps its name.
    if (this.inputs.length > 1 || (node.name !== undefined && isLabelName(node.name))) this.label(t);
    const line = { kind: 'line' as const, defines: [], pieces: [`input ${shapeText(shape)}`], blocks };
    this.out.push(line);
    this.pendingSingle.set(line, t);
    this.current = t;
  }

  /** Keeps the labels of the current tensor when the sequence moves away from it. */
  private moveTo(t: Tensor, blocks: readonly SymbolicBlock[]): void {
    if (t === this.current) return;
    if (t.node.kind === 'input' && !this.emittedInputs.has(t)) {
      this.ensureInput(t, blocks);
      return;
    }
    const label = this.label(t);
    this.out.push({ kind: 'line', defines: [], pieces: ['from ', label], blocks });
    this.current = t;
  }

  private layer(node: LayerNode): void {
    const mapped = node.layer.mapped as MappedLayer;
    let inputs = [...node.inputs];
    if (commutativeMerges.has(mapped.type) && this.current && inputs.includes(this.current)) inputs = [this.current, ...inputs.filter((t) => t !== this.current)];
    const [first, ...rest] = inputs;
    for (const t of [...rest, ...node.initialState]) if (t.node.kind === 'input') this.ensureInput(t, node.blocks);
    if (first) this.moveTo(first, node.blocks);
    const restLabels = rest.map((t) => this.label(t));
    const stateLabels = node.initialState.map((t) => this.label(t));
    const outputs = node.outputs;
    const defines: Label[] = [];
    const pieces: Piece[] = [];
    const named = node.layer.name !== undefined && isLabelName(node.layer.name);
    if (outputs.length > 1) {
      outputs.forEach((t, i) => {
        const label = this.label(t);
        defines.push(label);
        if (i > 0) pieces.push(', ');
        pieces.push(label);
      });
      pieces.push(' = ');
    } else if (outputs[0] && named) this.label(outputs[0]);
    const call = layerPieces(mapped, restLabels, stateLabels, node.layer.name !== undefined && !named ? node.layer.name : undefined);
    // Outputs labelled later (a merge or a `from` further down) get their label written in front: a placeholder is kept.
    const line = { kind: 'line' as const, defines, pieces: [...pieces, ...call], blocks: node.blocks };
    this.out.push(line);
    this.pendingSingle.set(line, outputs.length === 1 ? outputs[0] : undefined);
    this.current = outputs[0];
  }

  /** Names every label, then writes `label = ` in front of the single-output layers whose tensor got one. */
  private nameLabels(): void {
    const used = new Set<string>(this.taken);
    const assign = (label: Label, candidates: readonly string[]): void => {
      for (const candidate of candidates) {
        if (isLabelName(candidate) && !used.has(candidate)) {
          label.name = candidate;
          used.add(candidate);
          return;
        }
      }
      const base = candidates.find(isLabelName) ?? 'x';
      let n = 2;
      while (used.has(`${base}_${n}`)) n++;
      label.name = `${base}_${n}`;
      used.add(label.name);
    };
    // Fixed names first, so that generated ones avoid them.
    for (const t of this.wanted) {
      const label = this.labels.get(t);
      if (label?.fixed) assign(label, [t.node.kind === 'input' ? (t.node.name ?? '') : (t.node.layer.name ?? '')]);
    }
    const uses = new Map<string, number>();
    for (const node of reachableNodes(this.outputs, this.inputs)) for (const t of node.outputs) for (const v of t.variables) uses.set(v, (uses.get(v) ?? 0) + 1);
    for (const t of this.inputs) for (const v of t.variables) uses.set(v, (uses.get(v) ?? 0) + 1);
    for (const t of this.wanted) {
      const label = this.labels.get(t);
      if (label && !label.fixed) assign(label, candidatesFor(t, uses));
    }
    for (const [index, line] of this.out.entries()) {
      const tensor = this.pendingSingle.get(line);
      const label = tensor ? this.labels.get(tensor) : undefined;
      if (!label) continue;
      this.out[index] = { ...line, defines: [label], pieces: [label, ' = ', ...line.pieces] };
    }
  }
}

/**
 * Label names to try for a tensor: Keras's name, a Python variable that holds only this tensor
 * (`shortcut`, not the `x` every layer is assigned to), then its layer type (numbered when taken).
 */
function candidatesFor(t: Tensor, uses: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  const own = t.variables.filter((v) => v !== '_' && (uses.get(v) ?? 0) <= 1);
  if (t.node.kind === 'input') {
    if (t.node.name) out.push(t.node.name);
    out.push(...own, 'inputs');
    return out;
  }
  if (t.index === 0 && t.node.layer.name) out.push(t.node.layer.name);
  out.push(...own);
  const type = snake(t.node.layer.className);
  out.push(t.index === 0 ? type : `${type}_state`);
  return out;
}

function snake(name: string): string {
  return name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/([A-Z0-9])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** Consecutive statements of the same searched `repeat`/`if` blocks → nested block statements. */
function groupBlocks(flat: readonly (Statement & { kind: 'line' })[]): Statement[] {
  const root: Statement[] = [];
  const stack: { block: SymbolicBlock; body: Statement[] }[] = [];
  const body = (): Statement[] => stack[stack.length - 1]?.body ?? root;
  for (const line of flat) {
    let common = 0;
    while (common < stack.length && common < line.blocks.length && stack[common]?.block === line.blocks[common]) common++;
    while (stack.length > common) stack.pop();
    for (const block of line.blocks.slice(common)) {
      const inner: Statement[] = [];
      body().push(block.kind === 'repeat' ? { kind: 'repeat', count: block.text, body: inner } : { kind: 'if', condition: block.text, body: inner });
      stack.push({ block, body: inner });
    }
    body().push({ ...line, blocks: [] });
  }
  return root;
}

export function shapeText(shape: readonly (number | null)[]): string {
  const items = shape.map((d) => (d === null ? 'None' : String(d)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

function layerPieces(layer: MappedLayer, mergeLabels: readonly Label[], stateLabels: readonly Label[], keptName: string | undefined): Piece[] {
  const pieces: Piece[] = [`${layer.type}(`];
  const parts: Piece[][] = mergeLabels.map((l) => [l]);
  for (const a of layer.args) parts.push([a.name ? `${a.name}=${valueText(a.value)}` : valueText(a.value)]);
  if (stateLabels.length) {
    const state: Piece[] = ['initial_state=('];
    stateLabels.forEach((l, i) => state.push(...(i > 0 ? [', ', l] : [l])));
    state.push(stateLabels.length === 1 ? ',)' : ')');
    parts.push(state);
  }
  if (keptName !== undefined) parts.push([`name=${JSON.stringify(keptName)}`]);
  parts.forEach((p, i) => pieces.push(...(i > 0 ? [', ', ...p] : p)));
  pieces.push(')');
  return pieces;
}

/** A `.model` value as text. */
export function valueText(value: ModelValue): string {
  switch (value.kind) {
    case 'number':
      return numberText(value.value, value.integer);
    case 'symbol':
      return value.name;
    case 'string':
      return JSON.stringify(value.value);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'none':
      return 'None';
    case 'tuple':
      return value.items.length === 1 ? `(${valueText(value.items[0] as ModelValue)},)` : `(${value.items.map(valueText).join(', ')})`;
    case 'list':
      return `[${value.items.map(valueText).join(', ')}]`;
    case 'call':
      return `${value.callee}(${value.args.map(argumentText).join(', ')})`;
    case 'expression':
      return value.text;
    case 'layer':
      return `${value.layer.type}(${value.layer.args.map(argumentText).join(', ')})`;
  }
}

/** A number as written: `1 / 255` for the reciprocal of a whole number (`Rescaling(1.0 / 255)`), else Python's spelling. */
function numberText(value: number, integer: boolean): string {
  if (!integer && value > 0 && value < 1 && String(value).length > 8) {
    const reciprocal = 1 / value;
    const whole = Math.round(reciprocal);
    if (whole > 1 && whole <= 100000 && Math.abs(reciprocal - whole) < 1e-9 * whole && 1 / whole === value) return `1 / ${whole}`;
  }
  return formatPythonNumber(value, integer);
}

function argumentText(a: ModelArgument): string {
  return a.name ? `${a.name}=${valueText(a.value)}` : valueText(a.value);
}

/** A plain Python value (a parameter's default, a choice) as `.model` text. */
export function plainValue(value: PyValue): string {
  switch (value.kind) {
    case 'number':
      return formatPythonNumber(value.value, value.integer);
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'string':
      return identifier.test(value.value) && !reserved.has(value.value) ? value.value : JSON.stringify(value.value);
    case 'none':
      return 'None';
    default:
      return 'None';
  }
}
