/**
 * The part of Python the importer reads, as a small typed tree. Every node has its 1-based
 * line in the source that was parsed (for a notebook: its code cells joined), so that notes
 * can say where a construct is.
 */

export type BinaryOperator = '+' | '-' | '*' | '/' | '//' | '%' | '**' | '@' | '|' | '&' | '^' | '<<' | '>>';
export type CompareOperator = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'is' | 'is not';

export interface Argument {
  readonly name?: string;
  /** `*args` or `**kwargs` at the call site. */
  readonly spread?: '*' | '**';
  readonly value: Expr;
}

export interface Parameter {
  readonly name: string;
  readonly defaultValue?: Expr;
  /** `*args` collects extra positionals, `**kwargs` extra keywords. */
  readonly collects?: '*' | '**';
  readonly keywordOnly?: boolean;
}

export type ComprehensionClause = { readonly kind: 'for'; readonly target: Expr; readonly iterable: Expr } | { readonly kind: 'if'; readonly test: Expr };

export type FormatPart = string | { readonly expr: Expr; readonly spec?: string; readonly conversion?: string };

export type Expr = { readonly line: number } & (
  | { readonly kind: 'name'; readonly id: string }
  | { readonly kind: 'number'; readonly value: number; readonly integer: boolean }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'fstring'; readonly parts: readonly FormatPart[] }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'none' }
  | { readonly kind: 'ellipsis' }
  | { readonly kind: 'tuple' | 'list' | 'set'; readonly items: readonly Expr[] }
  | { readonly kind: 'dict'; readonly entries: readonly ({ readonly key: Expr; readonly value: Expr } | { readonly spread: Expr })[] }
  | { readonly kind: 'attribute'; readonly object: Expr; readonly name: string }
  | { readonly kind: 'subscript'; readonly object: Expr; readonly index: Expr }
  | { readonly kind: 'slice'; readonly lower?: Expr; readonly upper?: Expr; readonly step?: Expr }
  | { readonly kind: 'call'; readonly callee: Expr; readonly args: readonly Argument[] }
  | { readonly kind: 'binary'; readonly operator: BinaryOperator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'unary'; readonly operator: '-' | '+' | 'not' | '~'; readonly operand: Expr }
  | { readonly kind: 'logical'; readonly operator: 'and' | 'or'; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'compare'; readonly operator: CompareOperator; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'conditional'; readonly test: Expr; readonly body: Expr; readonly orElse: Expr }
  | { readonly kind: 'lambda'; readonly parameters: readonly Parameter[]; readonly body: Expr }
  | { readonly kind: 'comprehension'; readonly of: 'list' | 'set' | 'generator'; readonly element: Expr; readonly clauses: readonly ComprehensionClause[] }
  | { readonly kind: 'dict-comprehension'; readonly key: Expr; readonly value: Expr; readonly clauses: readonly ComprehensionClause[] }
  | { readonly kind: 'starred'; readonly value: Expr }
  /** Python the importer does not follow (`yield`, `await`, a walrus): named in the note. */
  | { readonly kind: 'unsupported'; readonly what: string }
);

export interface ImportName {
  readonly name: string;
  readonly alias?: string;
}

export interface IfBranch {
  /** Absent for `else`. */
  readonly test?: Expr;
  readonly body: readonly Stmt[];
}

export type Stmt = { readonly line: number } & (
  | { readonly kind: 'expression'; readonly value: Expr }
  /** `a = b = value`: every target, in order. */
  | { readonly kind: 'assign'; readonly targets: readonly Expr[]; readonly value: Expr }
  | { readonly kind: 'augmented-assign'; readonly target: Expr; readonly operator: BinaryOperator; readonly value: Expr }
  /** `import a.b as c`: the dotted module and its alias. */
  | { readonly kind: 'import'; readonly modules: readonly ImportName[] }
  /** `from a.b import c as d`; `*` imports every name. */
  | { readonly kind: 'import-from'; readonly module: string; readonly names: readonly ImportName[] }
  | { readonly kind: 'def'; readonly name: string; readonly parameters: readonly Parameter[]; readonly body: readonly Stmt[]; readonly decorators: readonly Expr[] }
  | { readonly kind: 'class'; readonly name: string; readonly bases: readonly Expr[]; readonly body: readonly Stmt[] }
  | { readonly kind: 'return'; readonly value?: Expr }
  | { readonly kind: 'if'; readonly branches: readonly IfBranch[] }
  | { readonly kind: 'for'; readonly target: Expr; readonly iterable: Expr; readonly body: readonly Stmt[]; readonly orElse: readonly Stmt[] }
  | { readonly kind: 'while'; readonly test: Expr; readonly body: readonly Stmt[] }
  | { readonly kind: 'with'; readonly items: readonly { readonly context: Expr; readonly target?: Expr }[]; readonly body: readonly Stmt[] }
  | { readonly kind: 'try'; readonly body: readonly Stmt[]; readonly handlers: readonly (readonly Stmt[])[]; readonly orElse: readonly Stmt[]; readonly final: readonly Stmt[] }
  | { readonly kind: 'pass' | 'break' | 'continue' }
  | { readonly kind: 'raise'; readonly value?: Expr }
  | { readonly kind: 'delete'; readonly targets: readonly Expr[] }
  /** Python the importer does not follow, or text the parser could not read: named in the note. */
  | { readonly kind: 'unsupported'; readonly what: string }
);

export interface PythonModule {
  readonly body: readonly Stmt[];
  /** Lines the parser could not read (syntax errors), each with the text it stopped at. */
  readonly syntaxErrors: readonly { readonly line: number; readonly text: string }[];
}
