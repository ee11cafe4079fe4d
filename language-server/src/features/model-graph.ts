import type { FileAnalysis, ModelAnalysis } from '../analysis/analyze-file.js';
import type { Diagnostic } from '../analysis/diagnostics.js';
import { evaluate } from '../analysis/expressions.js';
import type { EvaluatedModel, LayerInstance, ModelInput } from '../analysis/model-types.js';
import { findLayer } from '../catalog/layers.js';
import type { LayerFamily } from '../catalog/types.js';
import type { Range, Statement } from '../syntax/ast.js';
import { walkStatements } from '../syntax/walk.js';
import type { LineIndex } from '../text/line-index.js';
import { DiagnosticSink } from '../analysis/diagnostics.js';
import { compactShape } from './format.js';
import { keyArguments } from './graph-arguments.js';

/**
 * A model as a graph for the graph view and `layerlab graph`: plain, serialisable data
 * (it crosses the language server's JSON-RPC and the webview's postMessage). Layout and
 * drawing are elsewhere (language-server/src/graph/), never in the language server.
 */

/** Zero-based line and UTF-16 character, as LSP counts them. */
export interface GraphPosition {
  readonly line: number;
  readonly character: number;
}

export interface GraphRange {
  readonly start: GraphPosition;
  readonly end: GraphPosition;
}

export type GraphNodeKind =
  /** The model's input. */
  | 'input'
  /** An analysed layer. */
  | 'layer'
  /** A layer statement the analysis did not reach: an error above it left its input unknown. */
  | 'pending';

export interface GraphNode {
  /** Stable across edits where it can be: the Keras layer name (`conv2d_1`, or the label), `input`, or `pending@LINE`. */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** The Keras name (the label when there is one). */
  readonly name: string;
  /** The name is the user's label (`skip = Conv2D(…)`), not one Keras made up. */
  readonly labelled: boolean;
  /** The layer type (`Conv2D`), `Input` for the input. */
  readonly type: string;
  readonly family: LayerFamily | 'input';
  /** Short key arguments (`32 filters`, `3×3`, `relu`); for the input, its data set. */
  readonly details: readonly string[];
  /** Output shape without the batch axis; null where unknown (pending). */
  readonly shape: readonly (number | null)[] | null;
  /** `26×26×32`, as the inlay hints write shapes; empty when unknown. */
  readonly shapeText: string;
  readonly params: number;
  /** float32 bytes of the output per sample; null when an axis is unknown. */
  readonly activationBytes: number | null;
  /** The statement that makes it. */
  readonly range: GraphRange;
  /** Error messages on its statement. */
  readonly errors: readonly string[];
  /** Downstream of an error (or not analysed): its figures are missing or not to be trusted. */
  readonly affected: boolean;
  /** Its output leads nowhere: not part of the Keras model, not counted in the totals. */
  readonly discarded: boolean;
  /** The innermost `repeat` group it belongs to. */
  readonly group?: string;
  /** `2/3`, per enclosing `repeat` (outermost first): which repetition this node is. */
  readonly repetition?: string;
}

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
}

/** One `repeat` block as run in one repetition of its enclosing blocks: every node of its repetitions. */
export interface GraphGroup {
  readonly id: string;
  /** The enclosing group, for nested `repeat`s. */
  readonly parent?: string;
  readonly count: number;
  /** The `repeat` statement. */
  readonly range: GraphRange;
  /** Layer types of one repetition, in order (`Conv2D`, `BatchNormalization`, `ReLU`). */
  readonly types: readonly string[];
  readonly params: number;
  /** Node ids, in order. */
  readonly nodes: readonly string[];
}

export interface GraphTotals {
  readonly params: number;
  readonly trainable: number;
  readonly nonTrainable: number;
  /** Multiply-adds per sample; null when an axis is unknown. */
  readonly macs: number | null;
  readonly weightBytes: number;
  /** Nodes that are layers of the Keras model (analysed and not discarded). */
  readonly layers: number;
  /** False when an error stopped the analysis: the totals cover the layers before it. */
  readonly complete: boolean;
}

export interface ModelGraph {
  readonly model: string;
  /** The model's declaration, for a client to tell whether the cursor is in it. */
  readonly range: GraphRange;
  /** The declaration whose body makes the nodes: the model's own, or its base's for a variant. */
  readonly bodyRange: GraphRange;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly groups: readonly GraphGroup[];
  readonly totals: GraphTotals;
  /** Every error message of the model (its declaration and the body it evaluates). */
  readonly errors: readonly string[];
}

const inputId = 'input';

function graphRange(lines: LineIndex, range: Range): GraphRange {
  return { start: lines.positionAt(range.start), end: lines.positionAt(range.end) };
}

const within = (inner: Range, outer: Range): boolean => inner.start >= outer.start && inner.end <= outer.end;

/** Group ids: the `repeat` statement's offset, after the repetition of each enclosing `repeat`. */
function groupIds(layer: LayerInstance): string[] {
  const ids: string[] = [];
  let prefix = 'repeat';
  for (const r of layer.repetitions) {
    ids.push(`${prefix}@${r.statement.start}`);
    prefix = `${prefix}@${r.statement.start}.${r.index}`;
  }
  return ids;
}

/** Node ids by layer: Keras names, made unique (a duplicate name is an error, but still drawn). */
function nodeIds(layers: readonly LayerInstance[]): Map<LayerInstance, string> {
  const ids = new Map<LayerInstance, string>();
  const used = new Set<string>([inputId]);
  for (const layer of layers) {
    let id = layer.name;
    for (let n = 2; used.has(id); n++) id = `${layer.name}#${n}`;
    used.add(id);
    ids.set(layer, id);
  }
  return ids;
}

interface Builder {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  /** Each node's statement, in offsets. */
  readonly statements: Map<string, Range>;
}

function addEdge(builder: Builder, source: string, target: string): void {
  builder.edges.push({ id: `${source}->${target}#${builder.edges.length}`, source, target });
}

/**
 * Layer statements the analysis did not reach, as `pending` nodes joined the way the statements
 * read: after the current tensor, from the labels `from` and merges name. Blocks that run no
 * body (`if` false, `repeat 0`) make none.
 */
function addPendingNodes(builder: Builder, model: EvaluatedModel, ids: ReadonlyMap<LayerInstance, string>, lines: LineIndex): void {
  const byStatement = new Map<Statement, LayerInstance[]>();
  for (const layer of model.layers) (byStatement.get(layer.statement) ?? byStatement.set(layer.statement, []).get(layer.statement))?.push(layer);
  const labels = new Map<string, string>();
  let current: string | undefined;
  const quiet = new DiagnosticSink();
  walkStatements(model.bodyDeclaration.body ?? [], (statement) => {
    switch (statement.kind) {
      case 'input':
        current = inputId;
        if (statement.label) labels.set(statement.label.name, inputId);
        return;
      case 'from':
        current = labels.get(statement.target.name);
        return;
      case 'repeat': {
        const count = evaluate(statement.count, model.parameters, quiet);
        return count.kind === 'number' && count.value <= 0 ? 'skip' : undefined;
      }
      case 'if': {
        const condition = evaluate(statement.condition, model.parameters, quiet);
        return condition.kind === 'bool' && !condition.value ? 'skip' : undefined;
      }
      case 'layer': {
        const instances = byStatement.get(statement);
        const last = instances?.[instances.length - 1];
        if (last) current = ids.get(last);
        else {
          // The walk visits a statement once, inside `repeat` too: one pending node per statement.
          const start = lines.positionAt(statement.range.start);
          const id = `pending@${start.line + 1}:${start.character + 1}`;
          builder.nodes.push(pendingNode(id, statement, graphRange(lines, statement.range)));
          builder.statements.set(id, statement.range);
          if (current) addEdge(builder, current, id);
          // A merge's positional names are the labels it merges.
          const merges = findLayer(statement.call.callee.name)?.merge !== undefined;
          for (const a of merges ? statement.call.args : []) {
            const source = a.name === undefined && a.value.kind === 'name' ? labels.get(a.value.name) : undefined;
            if (source) addEdge(builder, source, id);
          }
          current = id;
        }
        if (statement.label && current) labels.set(statement.label.name, current);
        return;
      }
    }
  });
}

function pendingNode(id: string, statement: Extract<Statement, { kind: 'layer' }>, range: GraphRange): GraphNode {
  return {
    id,
    kind: 'pending',
    name: statement.label?.name ?? statement.call.callee.name,
    labelled: statement.label !== undefined,
    type: statement.call.callee.name,
    family: 'core',
    details: [],
    shape: null,
    shapeText: '',
    params: 0,
    activationBytes: null,
    range,
    errors: [],
    affected: true,
    discarded: false,
  };
}

function layerNode(layer: LayerInstance, id: string, model: EvaluatedModel, lines: LineIndex): GraphNode {
  const groups = groupIds(layer);
  const group = groups[groups.length - 1];
  return {
    id,
    kind: 'layer',
    name: layer.name,
    labelled: layer.label !== undefined,
    type: layer.spec.name,
    family: layer.spec.family,
    details: keyArguments(layer.spec, layer.args, layer.inner),
    shape: layer.outputShape,
    shapeText: compactShape(layer.outputShape),
    params: layer.params,
    activationBytes: layer.activationBytes,
    range: graphRange(lines, layer.statement.range),
    errors: [],
    affected: false,
    discarded: model.discarded.has(layer),
    ...(group ? { group, repetition: layer.repetitions.map((r) => `${r.index}/${r.count}`).join(', ') } : {}),
  };
}

/** The node id of a model input: the first is `input`, the others their label. */
function inputNodeId(model: EvaluatedModel, input: ModelInput): string {
  const index = model.inputs.indexOf(input);
  return index <= 0 ? inputId : `input:${input.label ?? index}`;
}

function inputNode(model: EvaluatedModel, input: ModelInput, lines: LineIndex): GraphNode {
  const statement = input.statement;
  // A Keras 2 `input_shape=` gave the input: the node points at the first layer, where it is written.
  const range = statement?.range ?? model.layers[0]?.statement.range ?? model.bodyDeclaration.name.range;
  const known = input.shape.length > 0;
  return {
    id: inputNodeId(model, input),
    kind: 'input',
    name: input.label ?? 'input',
    labelled: input.label !== undefined,
    type: 'Input',
    family: 'input',
    details: input.dataset ? [input.dataset] : [],
    shape: known ? input.shape : null,
    shapeText: known ? compactShape(input.shape) : '',
    params: 0,
    activationBytes: known && input.shape.every((d) => d !== null) ? 4 * input.shape.reduce<number>((a, d) => a * (d ?? 1), 1) : null,
    range: graphRange(lines, range),
    errors: [],
    affected: false,
    discarded: false,
  };
}

/** The `repeat` groups of the analysed layers, each with its nodes and the layer types of one repetition. */
function groupsOf(model: EvaluatedModel, ids: ReadonlyMap<LayerInstance, string>, lines: LineIndex): GraphGroup[] {
  interface Draft {
    id: string;
    parent?: string;
    count: number;
    range: Range;
    types: string[];
    params: number;
    nodes: string[];
  }
  const drafts = new Map<string, Draft>();
  for (const layer of model.layers) {
    const path = groupIds(layer);
    path.forEach((id, depth) => {
      const repetition = layer.repetitions[depth];
      if (!repetition) return;
      let draft = drafts.get(id);
      if (!draft) {
        const parent = path[depth - 1];
        draft = { id, count: repetition.count, range: repetition.statement, types: [], params: 0, nodes: [], ...(parent ? { parent } : {}) };
        drafts.set(id, draft);
      }
      draft.nodes.push(ids.get(layer) ?? '');
      if (!model.discarded.has(layer)) draft.params += layer.params;
      // The types of one repetition: its first.
      if (repetition.index === 1) draft.types.push(layer.spec.name);
    });
  }
  return [...drafts.values()].map((d) => ({ ...d, range: graphRange(lines, d.range) }));
}

/** Attaches each error to the nodes whose statement holds it; errors elsewhere (a variant's values, a `from`) go to the first pending node after them. */
function withErrors(nodes: readonly GraphNode[], statements: ReadonlyMap<string, Range>, errors: readonly Diagnostic[]): GraphNode[] {
  const messages = new Map<string, string[]>();
  const add = (id: string, message: string) => (messages.get(id) ?? messages.set(id, []).get(id))?.push(message);
  const pending = nodes.filter((n) => n.kind === 'pending');
  for (const error of errors) {
    const holders = nodes.filter((n) => {
      const range = statements.get(n.id);
      return range !== undefined && within(error.range, range);
    });
    if (holders.length) for (const n of holders) add(n.id, error.message);
    else {
      const next = pending.find((n) => (statements.get(n.id)?.start ?? 0) >= error.range.start) ?? pending[0];
      if (next) add(next.id, error.message);
    }
  }
  return nodes.map((n) => (messages.has(n.id) ? { ...n, errors: messages.get(n.id) ?? [] } : n));
}

/** Marks every node downstream of an error, or not analysed, as affected. */
function withAffected(nodes: readonly GraphNode[], edges: readonly GraphEdge[]): GraphNode[] {
  const next = new Map<string, string[]>();
  for (const e of edges) (next.get(e.source) ?? next.set(e.source, []).get(e.source))?.push(e.target);
  const affected = new Set<string>();
  const stack = nodes.filter((n) => n.errors.length > 0 || n.kind === 'pending').map((n) => n.id);
  while (stack.length) {
    const id = stack.pop() ?? '';
    for (const target of next.get(id) ?? []) {
      if (affected.has(target)) continue;
      affected.add(target);
      stack.push(target);
    }
  }
  return nodes.map((n) => (n.affected || !affected.has(n.id) ? n : { ...n, affected: true }));
}

/** The graph of one analysed model; undefined when it could not be evaluated at all. */
export function modelGraph(analysis: FileAnalysis, model: ModelAnalysis): ModelGraph | undefined {
  const evaluated = model.evaluated;
  if (!evaluated) return undefined;
  const lines = analysis.lines;
  const ids = nodeIds(evaluated.layers);
  const builder: Builder = { nodes: [], edges: [], statements: new Map() };
  for (const modelInput of evaluated.inputs) {
    const node = inputNode(evaluated, modelInput, lines);
    builder.nodes.push(node);
    if (modelInput.statement) builder.statements.set(node.id, modelInput.statement.range);
  }
  for (const layer of evaluated.layers) {
    const id = ids.get(layer) ?? layer.name;
    builder.nodes.push(layerNode(layer, id, evaluated, lines));
    builder.statements.set(id, layer.statement.range);
    for (const source of layer.inputs) addEdge(builder, source.kind === 'input' ? inputNodeId(evaluated, source.input) : (ids.get(source.layer) ?? source.layer.name), id);
  }
  if (!evaluated.complete) addPendingNodes(builder, evaluated, ids, lines);
  const scope = [evaluated.declaration.range, evaluated.bodyDeclaration.range];
  const errors = analysis.diagnostics.filter((d) => d.severity === 'error' && scope.some((r) => within(d.range, r)));
  const nodes = withAffected(withErrors(builder.nodes, builder.statements, errors), builder.edges);
  const t = evaluated.totals;
  return {
    model: model.name,
    range: graphRange(lines, evaluated.declaration.range),
    bodyRange: graphRange(lines, evaluated.bodyDeclaration.range),
    nodes,
    edges: builder.edges,
    groups: groupsOf(evaluated, ids, lines),
    totals: {
      params: t.params,
      trainable: t.trainable,
      nonTrainable: t.nonTrainable,
      macs: t.macs,
      weightBytes: t.weightBytes,
      layers: evaluated.layers.filter((l) => !evaluated.discarded.has(l)).length,
      complete: evaluated.complete && errors.length === 0,
    },
    errors: errors.map((d) => d.message),
  };
}

/** The model a graph request means: the one named, else the one whose declaration holds the offset, else the first. */
export function graphModel(analysis: FileAnalysis, name?: string, offset?: number): ModelAnalysis | undefined {
  if (name !== undefined) return analysis.models.find((m) => m.name === name);
  if (offset !== undefined) {
    const inside = analysis.models.find((m) => m.declaration.range.start <= offset && offset <= m.declaration.range.end);
    if (inside) return inside;
  }
  return analysis.models[0];
}
