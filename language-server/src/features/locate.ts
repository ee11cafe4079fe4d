import type { FileAnalysis, ModelAnalysis, TrainingAnalysis, TuneAnalysis } from '../analysis/analyze-file.js';
import type { EvaluatedModel, LayerInstance } from '../analysis/model-types.js';
import type {
  Argument,
  CallExpression,
  Expression,
  InputStatement,
  LayerStatement,
  ModelDeclaration,
  OutputStatement,
  Range,
  SearchParameter,
  Setting,
  Statement,
  TrainDeclaration,
  TuneDeclaration,
} from '../syntax/ast.js';
import { statementLabels, walkStatements } from '../syntax/walk.js';

/** What sits under the cursor, in terms the features understand. */
export type Located =
  | { readonly kind: 'layer'; readonly model: ModelAnalysis; readonly statement: LayerStatement; readonly call: CallExpression; readonly range: Range }
  | { readonly kind: 'argument'; readonly model?: ModelAnalysis; readonly call: CallExpression; readonly argument: Argument; readonly name: string; readonly range: Range }
  | { readonly kind: 'input'; readonly model: ModelAnalysis; readonly statement: InputStatement; readonly range: Range }
  | { readonly kind: 'output'; readonly model: ModelAnalysis; readonly statement: OutputStatement; readonly range: Range }
  | { readonly kind: 'model-name'; readonly model: ModelAnalysis; readonly range: Range }
  | { readonly kind: 'model-reference'; readonly name: string; readonly range: Range }
  | { readonly kind: 'label'; readonly model: ModelAnalysis; readonly name: string; readonly range: Range }
  | { readonly kind: 'parameter'; readonly model: ModelAnalysis; readonly name: string; readonly range: Range }
  | { readonly kind: 'setting'; readonly block: TrainDeclaration | TuneDeclaration; readonly setting: Setting; readonly range: Range }
  | { readonly kind: 'search'; readonly block: TuneDeclaration; readonly parameter: SearchParameter; readonly range: Range }
  | { readonly kind: 'name-value'; readonly name: string; readonly range: Range }
  /** The name of a call inside a value: a wrapped layer, an optimizer, a loss, a callback. */
  | { readonly kind: 'callee'; readonly call: CallExpression; readonly model?: ModelAnalysis; readonly range: Range };

export function contains(range: Range, offset: number): boolean {
  return offset >= range.start && offset <= range.end;
}

const instancesByStatement = new WeakMap<EvaluatedModel, Map<LayerStatement, LayerInstance[]>>();

/** The evaluated instances of a statement (several inside `repeat`, none inside a false `if`). */
export function instancesOf(model: ModelAnalysis | undefined, statement: LayerStatement): readonly LayerInstance[] {
  const evaluated = model?.evaluated;
  if (!evaluated) return [];
  // Indexed once per analysis: hints and hovers ask for every statement of large files.
  let index = instancesByStatement.get(evaluated);
  if (!index) {
    index = new Map();
    for (const layer of evaluated.layers) {
      const list = index.get(layer.statement);
      if (list) list.push(layer);
      else index.set(layer.statement, [layer]);
    }
    instancesByStatement.set(evaluated, index);
  }
  return index.get(statement) ?? [];
}

export function modelOf(analysis: FileAnalysis, declaration: ModelDeclaration): ModelAnalysis | undefined {
  return analysis.models.find((m) => m.declaration === declaration);
}

function locateInExpression(expression: Expression, offset: number, model: ModelAnalysis | undefined, parameters: ReadonlySet<string>, labels: ReadonlySet<string>): Located | undefined {
  if (!contains(expression.range, offset)) return undefined;
  switch (expression.kind) {
    case 'name':
      if (model && parameters.has(expression.name)) return { kind: 'parameter', model, name: expression.name, range: expression.range };
      if (model && labels.has(expression.name)) return { kind: 'label', model, name: expression.name, range: expression.range };
      return { kind: 'name-value', name: expression.name, range: expression.range };
    case 'call':
      if (contains(expression.callee.range, offset)) return { kind: 'callee', call: expression, model, range: expression.callee.range };
      return locateInCall(expression, offset, model, parameters, labels);
    case 'tuple':
    case 'list':
      for (const item of expression.items) {
        const found = locateInExpression(item, offset, model, parameters, labels);
        if (found) return found;
      }
      return undefined;
    case 'paren':
      return locateInExpression(expression.inner, offset, model, parameters, labels);
    case 'negate':
      return locateInExpression(expression.operand, offset, model, parameters, labels);
    case 'binary':
      return locateInExpression(expression.left, offset, model, parameters, labels) ?? locateInExpression(expression.right, offset, model, parameters, labels);
    default:
      return undefined;
  }
}

function locateInCall(call: CallExpression, offset: number, model: ModelAnalysis | undefined, parameters: ReadonlySet<string>, labels: ReadonlySet<string>): Located | undefined {
  for (const argument of call.args) {
    if (argument.name && contains(argument.name.range, offset)) return { kind: 'argument', model, call, argument, name: argument.name.name, range: argument.name.range };
    const inValue = locateInExpression(argument.value, offset, model, parameters, labels);
    if (inValue) return inValue;
  }
  return undefined;
}

/** The labels defined in a model body, nested blocks included, in source order. */
export function labelsOf(statements: readonly Statement[], into: Set<string> = new Set()): Set<string> {
  walkStatements(statements, (s) => {
    for (const label of statementLabels(s)) into.add(label.name);
  });
  return into;
}

function locateInStatements(statements: readonly Statement[], offset: number, model: ModelAnalysis, parameters: ReadonlySet<string>, labels: ReadonlySet<string>): Located | undefined {
  for (const s of statements) {
    if (!contains(s.range, offset)) continue;
    switch (s.kind) {
      case 'layer': {
        for (const label of statementLabels(s)) if (contains(label.range, offset)) return { kind: 'label', model, name: label.name, range: label.range };
        if (contains(s.call.callee.range, offset)) return { kind: 'layer', model, statement: s, call: s.call, range: s.call.callee.range };
        const inner = locateInCall(s.call, offset, model, parameters, labels);
        if (inner) {
          // A layer-valued argument (`LSTM` inside `Bidirectional(...)`) is hovered like a layer.
          return inner;
        }
        return { kind: 'layer', model, statement: s, call: s.call, range: s.call.callee.range };
      }
      case 'input':
        if (s.label && contains(s.label.range, offset)) return { kind: 'label', model, name: s.label.name, range: s.label.range };
        return locateInExpression(s.value, offset, model, parameters, labels) ?? { kind: 'input', model, statement: s, range: s.keyword };
      case 'from':
        return { kind: 'label', model, name: s.target.name, range: s.target.range };
      case 'output': {
        const name = s.names.find((n) => contains(n.range, offset));
        return name ? { kind: 'label', model, name: name.name, range: name.range } : { kind: 'output', model, statement: s, range: s.keyword };
      }
      case 'repeat':
        return locateInExpression(s.count, offset, model, parameters, labels) ?? locateInStatements(s.body, offset, model, parameters, labels);
      case 'if':
        return locateInExpression(s.condition, offset, model, parameters, labels) ?? locateInStatements(s.body, offset, model, parameters, labels);
    }
  }
  return undefined;
}

/** Finds the construct at `offset`. Works on half-typed files: it reads the recovered AST. */
export function locate(analysis: FileAnalysis, offset: number): Located | undefined {
  for (const declaration of analysis.parse.ast.declarations) {
    if (!contains(declaration.range, offset)) continue;
    if (declaration.kind === 'model') {
      const model = modelOf(analysis, declaration);
      if (!model) return undefined;
      if (contains(declaration.name.range, offset)) return { kind: 'model-name', model, range: declaration.name.range };
      const parameters = new Set((model.body ?? declaration).parameters.map((p) => p.name.name));
      for (const p of declaration.parameters) {
        if (contains(p.name.range, offset)) return { kind: 'parameter', model, name: p.name.name, range: p.name.range };
        if (p.defaultValue) {
          const found = locateInExpression(p.defaultValue, offset, model, parameters, new Set());
          if (found) return found;
        }
      }
      if (declaration.variantOf) {
        const variant = declaration.variantOf;
        if (contains(variant.base.range, offset)) return { kind: 'model-reference', name: variant.base.name, range: variant.base.range };
        for (const a of variant.args) {
          if (a.name && contains(a.name.range, offset)) return { kind: 'parameter', model, name: a.name.name, range: a.name.range };
        }
        return undefined;
      }
      return locateInStatements(declaration.body ?? [], offset, model, parameters, labelsOf(declaration.body ?? [], new Set()));
    }
    for (const m of declaration.models) {
      if (contains(m.range, offset)) return { kind: 'model-reference', name: m.name, range: m.range };
    }
    for (const setting of declaration.settings) {
      if (contains(setting.name.range, offset)) return { kind: 'setting', block: declaration, setting, range: setting.name.range };
      const found = locateInExpression(setting.value, offset, undefined, new Set(), new Set());
      if (found) return found;
    }
    if (declaration.kind === 'tune') {
      for (const parameter of declaration.searchParameters) {
        if (contains(parameter.name.range, offset)) return { kind: 'search', block: declaration, parameter, range: parameter.name.range };
      }
    }
  }
  return undefined;
}

export function trainingFor(analysis: FileAnalysis, declaration: TrainDeclaration | TuneDeclaration): TrainingAnalysis | TuneAnalysis | undefined {
  return declaration.kind === 'train' ? analysis.trainings.find((t) => t.declaration === declaration) : analysis.tunes.find((t) => t.declaration === declaration);
}
