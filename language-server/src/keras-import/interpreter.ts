import { builtinFunctions, formatValue, plainMethod } from './builtins.js';
import { canonicalPath } from './keras-api.js';
import type { Argument, BinaryOperator, ComprehensionClause, Expr, Parameter, Stmt } from './python-ast.js';
import { bool, equal, itemsOf, keyOf, none, num, Scope, str, textOf, truthy, tuple, unknown, unknownBecause, type CallArgs, type PyValue, type SymbolicBlock } from './py-values.js';

/**
 * A symbolic Python interpreter: it runs the code without running Keras. Plain values are
 * computed; Keras calls go to the runtime hooks, which build layers, tensors and models; what
 * depends on data or on libraries it does not know is `unknown`, and where that matters for a
 * model the hooks say so in a note.
 */

export interface RuntimeHooks {
  callApi(path: string, args: CallArgs, line: number): PyValue;
  apiAttribute(path: string, name: string): PyValue;
  /** Attributes of Keras values (`tensor.shape`, `model.layers`); undefined when the value has none of that name. */
  attribute(value: PyValue, name: string, line: number): PyValue | undefined;
  /** Methods of Keras values (`model.add`, `tuner.search`, `hp.Int`); undefined when not one of theirs. */
  callMethod(self: PyValue, name: string, args: CallArgs, line: number): PyValue | undefined;
  /** Calling a layer, a model or an instance of a class defined in the code. */
  callValue(callee: PyValue, args: CallArgs, line: number): PyValue;
  /** Arithmetic where a side is a tensor, an array or a hyperparameter expression; undefined otherwise. */
  binary(operator: BinaryOperator, left: PyValue, right: PyValue, line: number): PyValue | undefined;
  /** A value assigned to a Python variable (tensors and models take the name as a hint). */
  named(value: PyValue, name: string): void;
  /** The bare model parameter a hyperparameter expression is, when `if`/`for` can use it as a `.model` block. */
  blockParameter(value: PyValue, use: 'if' | 'repeat', line: number): string | undefined;
  /** A hyperparameter expression used where only its value can go (a comparison, a condition): its default, and a note. */
  concrete(value: PyValue, line: number, why: string): PyValue;
}

export interface Note {
  readonly line: number;
  readonly message: string;
}

class RaiseSignal {
  constructor(
    readonly line: number,
    readonly message: string,
  ) {}
}

class BudgetSignal {}

type Completion = { readonly kind: 'normal' } | { readonly kind: 'return'; readonly value: PyValue } | { readonly kind: 'break' } | { readonly kind: 'continue' };

const normal: Completion = { kind: 'normal' };
const maxSteps = 3_000_000;
const maxDepth = 80;
const maxLoop = 100_000;

export class Interpreter {
  hooks!: RuntimeHooks;
  readonly notes: Note[] = [];
  private readonly noted = new Set<string>();
  readonly globals: Scope;
  private readonly builtins: Map<string, PyValue>;
  private readonly starImports: string[] = [];
  private steps = 0;
  private depth = 0;
  private nextBlock = 1;
  /** The `repeat` / `if` blocks of a searched model that layers created now sit in. */
  readonly blocks: SymbolicBlock[] = [];

  constructor() {
    this.builtins = builtinFunctions((callee, args, line) => this.call(callee, args, line));
    this.globals = new Scope();
  }

  note(line: number, message: string): void {
    const key = `${line}\u0000${message}`;
    if (this.noted.has(key)) return;
    this.noted.add(key);
    this.notes.push({ line, message });
  }

  run(body: readonly Stmt[]): void {
    for (const statement of body) {
      try {
        this.execute([statement], this.globals);
      } catch (signal) {
        if (signal instanceof RaiseSignal) this.note(signal.line, `the code raises an error here${signal.message ? ` (${signal.message})` : ''}; the rest of this statement is skipped`);
        else if (signal instanceof BudgetSignal) {
          this.note(statement.line, 'the code runs too long to follow (a loop that does not end?); reading stopped here');
          return;
        } else throw signal;
      }
    }
  }

  // ---- statements ----

  private execute(statements: readonly Stmt[], scope: Scope): Completion {
    for (const statement of statements) {
      if (++this.steps > maxSteps) throw new BudgetSignal();
      const completion = this.statement(statement, scope);
      if (completion.kind !== 'normal') return completion;
    }
    return normal;
  }

  private statement(s: Stmt, scope: Scope): Completion {
    switch (s.kind) {
      case 'expression':
        this.evaluate(s.value, scope);
        return normal;
      case 'assign': {
        const value = this.evaluate(s.value, scope);
        for (const target of s.targets) this.assign(target, value, scope, s.line);
        return normal;
      }
      case 'augmented-assign': {
        const current = this.evaluate(s.target, scope);
        const value = this.evaluate(s.value, scope);
        if (current.kind === 'list' && s.operator === '+') {
          const items = itemsOf(value);
          if (items) {
            current.items.push(...items);
            return normal;
          }
        }
        this.assign(s.target, this.binary(s.operator, current, value, s.line), scope, s.line);
        return normal;
      }
      case 'import':
        for (const module of s.modules) {
          if (module.alias) scope.variables.set(module.alias, { kind: 'api', path: canonicalPath(module.name) });
          else {
            const root = module.name.split('.')[0] ?? module.name;
            scope.variables.set(root, { kind: 'api', path: canonicalPath(root) });
          }
        }
        return normal;
      case 'import-from':
        if (s.module.startsWith('.')) return normal;
        for (const name of s.names) {
          if (name.name === '*') this.starImports.push(canonicalPath(s.module));
          else scope.variables.set(name.alias ?? name.name, { kind: 'api', path: canonicalPath(`${s.module}.${name.name}`) });
        }
        return normal;
      case 'def': {
        const parameters = s.parameters.map((p) => this.parameterWithDefault(p, scope));
        scope.variables.set(s.name, { kind: 'function', name: s.name, parameters, body: s.body, closure: scope, line: s.line });
        return normal;
      }
      case 'class':
        scope.variables.set(s.name, { kind: 'class', name: s.name, bases: s.bases.map((b) => this.evaluate(b, scope)), line: s.line });
        return normal;
      case 'return':
        return { kind: 'return', value: s.value ? this.evaluate(s.value, scope) : none };
      case 'if':
        return this.ifStatement(s.branches, scope, s.line);
      case 'for':
        return this.forStatement(s, scope);
      case 'while': {
        for (let i = 0; i < maxLoop; i++) {
          const test = this.condition(this.evaluate(s.test, scope), s.line);
          if (test === undefined) {
            this.skipped(s.body, scope, s.line, '`while` loop');
            return normal;
          }
          if (!test) return normal;
          const completion = this.execute(s.body, scope);
          if (completion.kind === 'break') return normal;
          if (completion.kind === 'return') return completion;
        }
        throw new BudgetSignal();
      }
      case 'with':
        // `with strategy.scope():`, `with tf.device(...)`: the body runs as it is; what `as` binds is not known.
        for (const item of s.items) {
          this.evaluate(item.context, scope);
          if (item.target) this.assign(item.target, unknown, scope, s.line);
        }
        return this.execute(s.body, scope);
      case 'try': {
        let completion: Completion = normal;
        try {
          completion = this.execute(s.body, scope);
          if (completion.kind === 'normal') completion = this.execute(s.orElse, scope);
        } catch (signal) {
          if (!(signal instanceof RaiseSignal) || s.handlers.length === 0) throw signal;
          completion = this.execute(s.handlers[0] ?? [], scope);
        } finally {
          if (s.final.length) this.execute(s.final, scope);
        }
        return completion;
      }
      case 'pass':
        return normal;
      case 'break':
        return { kind: 'break' };
      case 'continue':
        return { kind: 'continue' };
      case 'raise': {
        const value = s.value ? this.evaluate(s.value, scope) : none;
        throw new RaiseSignal(s.line, value.kind === 'string' ? value.value : '');
      }
      case 'delete':
        for (const target of s.targets) if (target.kind === 'name') scope.variables.delete(target.id);
        return normal;
      case 'unsupported':
        this.note(s.line, `${s.what} is not followed; left out`);
        return normal;
    }
  }

  private parameterWithDefault(p: Parameter, scope: Scope): Parameter & { readonly evaluatedDefault?: PyValue } {
    if (!p.defaultValue) return p;
    return { ...p, evaluatedDefault: this.evaluate(p.defaultValue, scope) };
  }

  /** Truthiness of a condition; a hyperparameter expression takes its default (with a note), unknown stays undefined. */
  private condition(value: PyValue, line: number): boolean | undefined {
    const concrete = value.kind === 'symbolic' ? this.hooks.concrete(value, line, 'a condition') : value;
    return truthy(concrete);
  }

  private ifStatement(branches: readonly { test?: Expr; body: readonly Stmt[] }[], scope: Scope, line: number): Completion {
    for (const [i, branch] of branches.entries()) {
      if (!branch.test) return this.execute(branch.body, scope);
      const test = this.evaluate(branch.test, scope);
      const rest = branches.slice(i + 1);
      if (test.kind === 'symbolic' && rest.every((b) => !b.test && b.body.every((st) => st.kind === 'pass'))) {
        const parameter = this.hooks.blockParameter(test, 'if', line);
        if (parameter) return this.inBlock({ id: this.nextBlock++, kind: 'if', text: parameter }, () => this.execute(branch.body, scope));
      }
      const truth = this.condition(test, line);
      if (truth === undefined) {
        this.skipped(
          branches.slice(i).flatMap((b) => b.body),
          scope,
          line,
          '`if`',
          test,
        );
        return normal;
      }
      if (truth) return this.execute(branch.body, scope);
    }
    return normal;
  }

  private inBlock(block: SymbolicBlock, run: () => Completion): Completion {
    this.blocks.push(block);
    try {
      return run();
    } finally {
      this.blocks.pop();
    }
  }

  private forStatement(s: Extract<Stmt, { kind: 'for' }>, scope: Scope): Completion {
    const iterable = this.evaluate(s.iterable, scope);
    const count = this.searchedRangeCount(s.iterable, scope, iterable);
    if (count) {
      const parameter = this.hooks.blockParameter(count, 'repeat', s.line);
      if (parameter) {
        this.assign(s.target, unknownBecause('the index of a searched loop', s.line), scope, s.line);
        const completion = this.inBlock({ id: this.nextBlock++, kind: 'repeat', text: parameter }, () => this.execute(s.body, scope));
        return completion.kind === 'return' ? completion : normal;
      }
    }
    const concreteIterable = count ? this.evaluate(s.iterable, scope) : iterable;
    const items = itemsOf(concreteIterable);
    if (!items) {
      this.skipped(s.body, scope, s.line, '`for` loop', concreteIterable);
      return normal;
    }
    let broke = false;
    for (const item of [...items]) {
      this.assign(s.target, item, scope, s.line);
      const completion = this.execute(s.body, scope);
      if (completion.kind === 'break') {
        broke = true;
        break;
      }
      if (completion.kind === 'return') return completion;
    }
    if (!broke && s.orElse.length) return this.execute(s.orElse, scope);
    return normal;
  }

  /** `range(n)` over a searched count: the count, when the loop can be a `repeat`. */
  private searchedRangeCount(iterable: Expr, scope: Scope, value: PyValue): PyValue | undefined {
    if (value.kind !== 'unknown' || iterable.kind !== 'call' || iterable.args.length !== 1) return undefined;
    const callee = this.evaluate(iterable.callee, scope);
    if (callee.kind !== 'builtin' || callee.name !== 'range') return undefined;
    const arg = iterable.args[0];
    if (!arg || arg.name || arg.spread) return undefined;
    const count = this.evaluate(arg.value, scope);
    return count.kind === 'symbolic' ? count : undefined;
  }

  /** A block whose condition or loop is not known: skipped, and said so where it builds a model. */
  private skipped(body: readonly Stmt[], scope: Scope, line: number, what: string, value?: PyValue): void {
    if (!this.buildsModels(body, scope)) return;
    const why = value?.kind === 'unknown' && value.why ? ` (${value.why})` : '';
    this.note(line, `this ${what} depends on a value Layerlab cannot know without running the code${why}; the layers in it are left out`);
  }

  /** Whether statements refer to Keras: layers, tensors, models, or the Keras API. */
  private buildsModels(body: readonly Stmt[], scope: Scope): boolean {
    let found = false;
    const visitExpr = (e: Expr | undefined): void => {
      if (!e || found) return;
      switch (e.kind) {
        case 'name': {
          const value = scope.lookup(e.id) ?? this.builtins.get(e.id);
          if (value && (['tensor', 'model', 'layer', 'hp', 'symbolic'].includes(value.kind) || (value.kind === 'api' && value.path.startsWith('keras')))) found = true;
          return;
        }
        case 'attribute':
          if (['add', 'compile', 'fit'].includes(e.name)) found = true;
          visitExpr(e.object);
          return;
        case 'call':
          visitExpr(e.callee);
          e.args.forEach((a) => visitExpr(a.value));
          return;
        case 'subscript':
          visitExpr(e.object);
          visitExpr(e.index);
          return;
        case 'binary':
        case 'logical':
        case 'compare':
          visitExpr(e.left);
          visitExpr(e.right);
          return;
        case 'tuple':
        case 'list':
        case 'set':
          e.items.forEach(visitExpr);
          return;
        default:
          return;
      }
    };
    const visit = (statements: readonly Stmt[]): void => {
      for (const st of statements) {
        if (found) return;
        switch (st.kind) {
          case 'expression':
            visitExpr(st.value);
            break;
          case 'assign':
            visitExpr(st.value);
            break;
          case 'augmented-assign':
            visitExpr(st.value);
            break;
          case 'return':
            visitExpr(st.value);
            break;
          case 'if':
            st.branches.forEach((b) => visit(b.body));
            break;
          case 'for':
          case 'while':
          case 'with':
            visit(st.body);
            break;
          case 'try':
            visit(st.body);
            break;
          default:
            break;
        }
      }
    };
    visit(body);
    return found;
  }

  assign(target: Expr, value: PyValue, scope: Scope, line: number): void {
    switch (target.kind) {
      case 'name':
        scope.variables.set(target.id, value);
        this.hooks.named(value, target.id);
        return;
      case 'tuple':
      case 'list': {
        const items = value.kind === 'tensor' || value.kind === 'unknown' ? undefined : itemsOf(value);
        const starAt = target.items.findIndex((t) => t.kind === 'starred');
        target.items.forEach((t, i) => {
          if (!items) {
            this.assign(t.kind === 'starred' ? t.value : t, value.kind === 'unknown' ? value : unknownBecause('a value that cannot be unpacked', line), scope, line);
            return;
          }
          if (starAt < 0) this.assign(t, items[i] ?? unknown, scope, line);
          else if (i < starAt) this.assign(t, items[i] ?? unknown, scope, line);
          else if (i === starAt && t.kind === 'starred') this.assign(t.value, { kind: 'list', items: items.slice(starAt, items.length - (target.items.length - starAt - 1)) }, scope, line);
          else this.assign(t, items[items.length - (target.items.length - i)] ?? unknown, scope, line);
        });
        return;
      }
      case 'subscript': {
        const object = this.evaluate(target.object, scope);
        const index = this.evaluate(target.index, scope);
        if (object.kind === 'list' && index.kind === 'number') {
          const at = index.value < 0 ? object.items.length + index.value : index.value;
          if (at >= 0 && at < object.items.length) object.items[at] = value;
        } else if (object.kind === 'dict') {
          const key = keyOf(index);
          if (key !== undefined) object.entries.set(key, { key: index, value });
        }
        return;
      }
      case 'attribute':
        // Attributes of objects (`layer.trainable = False`, `model.name = ...`) do not change shapes or counts.
        this.evaluate(target.object, scope);
        return;
      case 'starred':
        this.assign(target.value, value, scope, line);
        return;
      default:
        return;
    }
  }

  // ---- expressions ----

  evaluate(e: Expr, scope: Scope): PyValue {
    switch (e.kind) {
      case 'name':
        return this.lookup(e.id, scope, e.line);
      case 'number':
        return num(e.value, e.integer);
      case 'string':
        return str(e.value);
      case 'fstring': {
        let text = '';
        let known = true;
        let partial = '';
        for (const part of e.parts) {
          if (typeof part === 'string') {
            text += part;
            partial += part;
            continue;
          }
          const value = this.evaluate(part.expr, scope);
          const formatted = value.kind === 'symbolic' ? undefined : formatValue(value, part.spec);
          if (formatted === undefined) known = false;
          else {
            text += formatted;
            partial += formatted;
          }
        }
        return known ? str(text) : { kind: 'unknown', why: `the text f"${partial}" has a part that is not known`, line: e.line, partial };
      }
      case 'bool':
        return bool(e.value);
      case 'none':
        return none;
      case 'ellipsis':
        return unknown;
      case 'tuple':
        return tuple(this.items(e.items, scope));
      case 'list':
        return { kind: 'list', items: this.items(e.items, scope) };
      case 'set':
        return { kind: 'set', items: this.items(e.items, scope) };
      case 'dict': {
        const entries = new Map<string, { key: PyValue; value: PyValue }>();
        for (const entry of e.entries) {
          if ('spread' in entry) {
            const spread = this.evaluate(entry.spread, scope);
            if (spread.kind === 'dict') for (const [k, v] of spread.entries) entries.set(k, v);
            continue;
          }
          const key = this.evaluate(entry.key, scope);
          const k = keyOf(key);
          if (k !== undefined) entries.set(k, { key, value: this.evaluate(entry.value, scope) });
        }
        return { kind: 'dict', entries };
      }
      case 'attribute':
        return this.attribute(this.evaluate(e.object, scope), e.name, e.line);
      case 'subscript':
        return this.subscript(this.evaluate(e.object, scope), e.index, scope, e.line);
      case 'slice':
        return unknown;
      case 'call': {
        const callee = this.evaluate(e.callee, scope);
        return this.call(callee, this.arguments(e.args, scope), e.line);
      }
      case 'binary':
        return this.binary(e.operator, this.evaluate(e.left, scope), this.evaluate(e.right, scope), e.line);
      case 'unary': {
        const operand = this.evaluate(e.operand, scope);
        if (e.operator === 'not') {
          const t = this.condition(operand, e.line);
          return t === undefined ? unknown : bool(!t);
        }
        if (operand.kind === 'number') return e.operator === '-' ? num(-operand.value, operand.integer) : e.operator === '~' ? num(~operand.value, true) : operand;
        if (operand.kind === 'bool') return e.operator === '-' ? num(operand.value ? -1 : 0, true) : num(operand.value ? 1 : 0, true);
        if (e.operator === '-') return this.hooks.binary('*', num(-1, true), operand, e.line) ?? unknown;
        return unknown;
      }
      case 'logical': {
        const left = this.evaluate(e.left, scope);
        const t = this.condition(left, e.line);
        if (t === undefined) return unknown;
        if (e.operator === 'and') return t ? this.evaluate(e.right, scope) : left;
        return t ? left : this.evaluate(e.right, scope);
      }
      case 'compare':
        return this.compare(e.operator, this.evaluate(e.left, scope), this.evaluate(e.right, scope), e.line);
      case 'conditional': {
        const t = this.condition(this.evaluate(e.test, scope), e.line);
        if (t === undefined) return unknownBecause('a conditional expression whose condition is not known', e.line);
        return this.evaluate(t ? e.body : e.orElse, scope);
      }
      case 'lambda':
        return { kind: 'function', name: '<lambda>', parameters: e.parameters.map((p) => this.parameterWithDefault(p, scope)), body: e.body, closure: scope, line: e.line };
      case 'comprehension': {
        const results: PyValue[] = [];
        const ok = this.comprehend(e.clauses, 0, new Scope(scope), (inner) => results.push(this.evaluate(e.element, inner)), e.line);
        if (!ok) return unknownBecause('a comprehension over values that are not known', e.line);
        return e.of === 'set' ? { kind: 'set', items: results } : e.of === 'generator' ? tuple(results) : { kind: 'list', items: results };
      }
      case 'dict-comprehension': {
        const entries = new Map<string, { key: PyValue; value: PyValue }>();
        const ok = this.comprehend(e.clauses, 0, new Scope(scope), (inner) => {
          const key = this.evaluate(e.key, inner);
          const k = keyOf(key);
          if (k !== undefined) entries.set(k, { key, value: this.evaluate(e.value, inner) });
        }, e.line);
        return ok ? { kind: 'dict', entries } : unknown;
      }
      case 'starred':
        return this.evaluate(e.value, scope);
      case 'unsupported':
        this.note(e.line, `${e.what} is not followed; left out`);
        return unknownBecause(`${e.what} is not followed`, e.line);
    }
  }

  private comprehend(clauses: readonly ComprehensionClause[], index: number, scope: Scope, emit: (scope: Scope) => void, line: number): boolean {
    const clause = clauses[index];
    if (!clause) {
      emit(scope);
      return true;
    }
    if (clause.kind === 'if') {
      const t = this.condition(this.evaluate(clause.test, scope), line);
      if (t === undefined) return false;
      return t ? this.comprehend(clauses, index + 1, scope, emit, line) : true;
    }
    const items = itemsOf(this.evaluate(clause.iterable, scope));
    if (!items) return false;
    for (const item of items) {
      if (++this.steps > maxSteps) throw new BudgetSignal();
      this.assign(clause.target, item, scope, line);
      if (!this.comprehend(clauses, index + 1, scope, emit, line)) return false;
    }
    return true;
  }

  private items(exprs: readonly Expr[], scope: Scope): PyValue[] {
    const out: PyValue[] = [];
    for (const e of exprs) {
      if (e.kind === 'starred') {
        const items = itemsOf(this.evaluate(e.value, scope));
        if (items) out.push(...items);
        else out.push(unknown);
      } else out.push(this.evaluate(e, scope));
    }
    return out;
  }

  private arguments(args: readonly Argument[], scope: Scope): CallArgs {
    const positional: PyValue[] = [];
    const keywords = new Map<string, PyValue>();
    for (const a of args) {
      const value = this.evaluate(a.value, scope);
      if (a.spread === '*') {
        const items = itemsOf(value);
        if (items) positional.push(...items);
        else positional.push(value);
      } else if (a.spread === '**') {
        if (value.kind === 'dict') for (const entry of value.entries.values()) if (entry.key.kind === 'string') keywords.set(entry.key.value, entry.value);
      } else if (a.name) keywords.set(a.name, value);
      else positional.push(value);
    }
    return { positional, keywords };
  }

  private lookup(name: string, scope: Scope, line: number): PyValue {
    const value = scope.lookup(name) ?? this.builtins.get(name);
    if (value) return value;
    for (const module of this.starImports) {
      const found = this.hooks.apiAttribute(module, name);
      if (found.kind === 'api' && /^[A-Z]/.test(name)) return found;
    }
    return unknownBecause(`\`${name}\` is not defined before it is used`, line);
  }

  attribute(object: PyValue, name: string, line: number): PyValue {
    const keras = this.hooks.attribute(object, name, line);
    if (keras) return keras;
    if (object.kind === 'api') return this.hooks.apiAttribute(object.path, name);
    if (object.kind === 'unknown') return object;
    if (['string', 'list', 'tuple', 'dict', 'set'].includes(object.kind)) return { kind: 'bound-method', self: object, name };
    if (object.kind === 'number' && name === 'real') return object;
    return { kind: 'bound-method', self: object, name };
  }

  private subscript(object: PyValue, indexExpr: Expr, scope: Scope, line: number): PyValue {
    if (indexExpr.kind === 'slice') {
      const items = object.kind === 'string' ? undefined : itemsOf(object);
      const bound = (e: Expr | undefined): number | undefined | null => {
        if (!e) return undefined;
        const v = this.evaluate(e, scope);
        return v.kind === 'number' ? v.value : v.kind === 'none' ? undefined : null;
      };
      const lower = bound(indexExpr.lower);
      const upper = bound(indexExpr.upper);
      const step = bound(indexExpr.step);
      if (lower === null || upper === null || step === null) return unknown;
      if (object.kind === 'string') return str(sliceOf([...object.value], lower, upper, step).join(''));
      if (object.kind === 'array') return this.hooks.attribute(object, `[${lower ?? ''}:${upper ?? ''}]`, line) ?? unknown;
      if (!items) return object.kind === 'unknown' ? object : unknown;
      const sliced = sliceOf([...items], lower, upper, step);
      return object.kind === 'list' ? { kind: 'list', items: sliced } : tuple(sliced);
    }
    const index = this.evaluate(indexExpr, scope);
    if (object.kind === 'dict') {
      const key = keyOf(index);
      return (key !== undefined ? object.entries.get(key)?.value : undefined) ?? unknown;
    }
    if ((object.kind === 'tuple' || object.kind === 'list' || object.kind === 'string') && index.kind === 'number') {
      const items = itemsOf(object) ?? [];
      const at = index.value < 0 ? items.length + index.value : index.value;
      return items[at] ?? unknown;
    }
    if (object.kind === 'tensor' || object.kind === 'array' || object.kind === 'model') {
      return this.hooks.callMethod(object, '__getitem__', { positional: [index], keywords: new Map() }, line) ?? unknown;
    }
    return object.kind === 'unknown' ? object : unknown;
  }

  call(callee: PyValue, args: CallArgs, line: number): PyValue {
    switch (callee.kind) {
      case 'function':
        return this.callFunction(callee, args, line);
      case 'builtin':
        return callee.call(args, line);
      case 'bound-method': {
        const plain = plainMethod(callee.self, callee.name, args, (c, a, l) => this.call(c, a, l), line);
        if (plain) return plain;
        return this.hooks.callMethod(callee.self, callee.name, args, line) ?? unknown;
      }
      case 'api':
        return this.hooks.callApi(callee.path, args, line);
      case 'unknown':
        return callee;
      default:
        return this.hooks.callValue(callee, args, line);
    }
  }

  callFunction(fn: Extract<PyValue, { kind: 'function' }>, args: CallArgs, line: number): PyValue {
    if (this.depth >= maxDepth) {
      this.note(line, `calls nest too deep to follow (${fn.name} calls itself?); left out`);
      return unknown;
    }
    const scope = new Scope(fn.closure);
    const positional = [...args.positional];
    const keywords = new Map(args.keywords);
    for (const p of fn.parameters as readonly (Parameter & { evaluatedDefault?: PyValue })[]) {
      if (p.collects === '*') {
        scope.variables.set(p.name, tuple(positional.splice(0)));
      } else if (p.collects === '**') {
        const entries = new Map<string, { key: PyValue; value: PyValue }>();
        for (const [k, v] of keywords) entries.set(`s:${k}`, { key: str(k), value: v });
        keywords.clear();
        scope.variables.set(p.name, { kind: 'dict', entries });
      } else if (!p.keywordOnly && positional.length) scope.variables.set(p.name, positional.shift() ?? none);
      else if (keywords.has(p.name)) {
        scope.variables.set(p.name, keywords.get(p.name) ?? none);
        keywords.delete(p.name);
      } else scope.variables.set(p.name, p.evaluatedDefault ?? unknownBecause(`the argument \`${p.name}\` of ${fn.name} is not given`, line));
    }
    this.depth++;
    try {
      if (!Array.isArray(fn.body)) return this.evaluate(fn.body as Expr, scope);
      const completion = this.execute(fn.body as readonly Stmt[], scope);
      return completion.kind === 'return' ? completion.value : none;
    } finally {
      this.depth--;
    }
  }

  binary(operator: BinaryOperator, left: PyValue, right: PyValue, line: number): PyValue {
    const special = this.hooks.binary(operator, left, right, line);
    if (special) return special;
    const l = left.kind === 'bool' ? num(left.value ? 1 : 0, true) : left;
    const r = right.kind === 'bool' ? num(right.value ? 1 : 0, true) : right;
    if (l.kind === 'number' && r.kind === 'number') return arithmetic(operator, l.value, r.value, l.integer && r.integer);
    if (operator === '+') {
      if (l.kind === 'string' && r.kind === 'string') return str(l.value + r.value);
      if (l.kind === 'tuple' && r.kind === 'tuple') return tuple([...l.items, ...r.items]);
      if (l.kind === 'list' && r.kind === 'list') return { kind: 'list', items: [...l.items, ...r.items] };
    }
    if (operator === '*') {
      const [seq, count] = l.kind === 'number' ? [r, l.value] : [l, r.kind === 'number' ? r.value : undefined];
      if (count !== undefined) {
        if (seq.kind === 'string') return str(seq.value.repeat(Math.max(0, count)));
        if (seq.kind === 'tuple') return tuple(Array.from({ length: Math.max(0, count) }, () => seq.items).flat());
        if (seq.kind === 'list') return { kind: 'list', items: Array.from({ length: Math.max(0, count) }, () => seq.items).flat() };
      }
    }
    if (operator === '%' && l.kind === 'string') return percentFormat(l.value, r);
    if (left.kind === 'unknown') return left;
    if (right.kind === 'unknown') return right;
    return unknown;
  }

  private compare(operator: string, left: PyValue, right: PyValue, line: number): PyValue {
    const l = left.kind === 'symbolic' ? this.hooks.concrete(left, line, 'a comparison') : left;
    const r = right.kind === 'symbolic' ? this.hooks.concrete(right, line, 'a comparison') : right;
    switch (operator) {
      case '==':
      case '!=': {
        const e = equal(l, r);
        if (e === undefined) return unknown;
        return bool(operator === '==' ? e : !e);
      }
      case 'is':
      case 'is not': {
        let same: boolean | undefined;
        if (l.kind === 'unknown' || r.kind === 'unknown') same = undefined;
        else if (l.kind === 'none' || r.kind === 'none' || l.kind === 'bool' || r.kind === 'bool') same = equal(l, r) === true && l.kind === r.kind;
        else same = l === r || equal(l, r) === true;
        if (same === undefined) return unknown;
        return bool(operator === 'is' ? same : !same);
      }
      case 'in':
      case 'not in': {
        let found: boolean | undefined;
        if (r.kind === 'string' && l.kind === 'string') found = r.value.includes(l.value);
        else if (r.kind === 'dict') {
          const key = keyOf(l);
          found = key === undefined ? undefined : r.entries.has(key);
        } else {
          const items = itemsOf(r);
          if (!items) found = undefined;
          else {
            const results = items.map((i) => equal(l, i));
            found = results.includes(true) ? true : results.includes(undefined) ? undefined : false;
          }
        }
        if (found === undefined) return unknown;
        return bool(operator === 'in' ? found : !found);
      }
      default: {
        const x = l.kind === 'number' ? l.value : l.kind === 'bool' ? Number(l.value) : l.kind === 'string' ? l.value : undefined;
        const y = r.kind === 'number' ? r.value : r.kind === 'bool' ? Number(r.value) : r.kind === 'string' ? r.value : undefined;
        if (x === undefined || y === undefined || typeof x !== typeof y) {
          if ((l.kind === 'tuple' || l.kind === 'list') && (r.kind === 'tuple' || r.kind === 'list')) return unknown;
          return unknown;
        }
        const result = operator === '<' ? x < y : operator === '<=' ? x <= y : operator === '>' ? x > y : x >= y;
        return bool(result);
      }
    }
  }
}

function sliceOf<T>(items: T[], lower: number | undefined, upper: number | undefined, step: number | undefined): T[] {
  const n = items.length;
  const s = step ?? 1;
  const norm = (i: number): number => (i < 0 ? Math.max(0, n + i) : Math.min(i, n));
  if (s > 0) {
    const out: T[] = [];
    for (let i = lower === undefined ? 0 : norm(lower); i < (upper === undefined ? n : norm(upper)); i += s) out.push(items[i] as T);
    return out;
  }
  const out: T[] = [];
  const start = lower === undefined ? n - 1 : Math.min(norm(lower), n - 1);
  const stop = upper === undefined ? -1 : norm(upper);
  for (let i = start; i > stop; i += s) out.push(items[i] as T);
  return out;
}

function arithmetic(operator: BinaryOperator, a: number, b: number, integers: boolean): PyValue {
  switch (operator) {
    case '+':
      return num(a + b, integers);
    case '-':
      return num(a - b, integers);
    case '*':
      return num(a * b, integers);
    case '/':
      return b === 0 ? unknownBecause('a division by zero') : num(a / b, false);
    case '//':
      return b === 0 ? unknownBecause('a division by zero') : num(Math.floor(a / b), integers);
    case '%':
      return b === 0 ? unknownBecause('a division by zero') : num(a - Math.floor(a / b) * b, integers);
    case '**':
      return num(a ** b, integers && b >= 0);
    case '|':
      return num(a | b, true);
    case '&':
      return num(a & b, true);
    case '^':
      return num(a ^ b, true);
    case '<<':
      return num(a << b, true);
    case '>>':
      return num(a >> b, true);
    default:
      return unknown;
  }
}

/** `'%d_%s' % (a, b)`. */
function percentFormat(template: string, values: PyValue): PyValue {
  const items = values.kind === 'tuple' ? values.items : [values];
  let i = 0;
  let failed = false;
  const text = template.replace(/%(%|[-+ 0#]*\d*(?:\.\d+)?[sdifrgex])/g, (whole, spec: string) => {
    if (spec === '%') return '%';
    const value = items[i++];
    if (!value) {
      failed = true;
      return '';
    }
    const type = spec[spec.length - 1];
    const precision = /\.(\d+)/.exec(spec)?.[1];
    if (type === 'd' || type === 'i') return value.kind === 'number' ? String(Math.trunc(value.value)) : ((failed = true), '');
    if (type === 'f') return value.kind === 'number' ? value.value.toFixed(Number(precision ?? 6)) : ((failed = true), '');
    const text = textOf(value);
    if (text === undefined) failed = true;
    return text ?? whole;
  });
  return failed ? unknown : str(text);
}
