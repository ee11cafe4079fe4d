/** Offsets into the document text, `end` exclusive. JS string offsets are UTF-16 code units, as LSP wants. */
export interface Range {
  readonly start: number;
  readonly end: number;
}

export interface Identifier {
  readonly kind: 'identifier';
  readonly name: string;
  readonly range: Range;
}

export interface NumberLiteral {
  readonly kind: 'number';
  readonly value: number;
  readonly text: string;
  readonly range: Range;
}

export interface StringLiteral {
  readonly kind: 'string';
  readonly value: string;
  readonly range: Range;
}

export interface BooleanLiteral {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly range: Range;
}

export interface NoneLiteral {
  readonly kind: 'none';
  readonly range: Range;
}

/** A bare name: a model parameter, a label, a dataset or an enum value such as `relu`. */
export interface NameReference {
  readonly kind: 'name';
  readonly name: string;
  readonly range: Range;
}

export interface TupleExpression {
  readonly kind: 'tuple';
  readonly items: readonly Expression[];
  readonly range: Range;
}

/** `(expr)` without a comma: a grouping, not a tuple. */
export interface ParenthesizedExpression {
  readonly kind: 'paren';
  readonly inner: Expression;
  readonly range: Range;
}

export interface ListExpression {
  readonly kind: 'list';
  readonly items: readonly Expression[];
  readonly range: Range;
}

export type BinaryOperator = '+' | '-' | '*' | '/' | '//';

export interface BinaryExpression {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: Expression;
  readonly right: Expression;
  readonly range: Range;
}

export interface NegationExpression {
  readonly kind: 'negate';
  readonly operand: Expression;
  readonly range: Range;
}

export interface Argument {
  readonly name?: Identifier;
  readonly value: Expression;
  readonly range: Range;
}

/** `Conv2D(32, 3)`, `Adam(learning_rate=1e-3)`, `images("dir", size=(64, 64))`. */
export interface CallExpression {
  readonly kind: 'call';
  readonly callee: Identifier;
  readonly args: readonly Argument[];
  /** Range of the `(`; missing when the parser recovered without one. */
  readonly openParen?: Range;
  readonly closed: boolean;
  readonly range: Range;
}

/** Stands where the parser recovered from an error; analysis skips it silently. */
export interface MissingExpression {
  readonly kind: 'missing';
  readonly range: Range;
}

export type Expression =
  | NumberLiteral
  | StringLiteral
  | BooleanLiteral
  | NoneLiteral
  | NameReference
  | TupleExpression
  | ParenthesizedExpression
  | ListExpression
  | BinaryExpression
  | NegationExpression
  | CallExpression
  | MissingExpression;

export interface InputStatement {
  readonly kind: 'input';
  readonly label?: Identifier;
  /** Labels written after the first (`a, b = input ...`): an error, since an input is one tensor. */
  readonly moreLabels?: readonly Identifier[];
  readonly value: Expression;
  readonly keyword: Range;
  readonly range: Range;
}

export interface LayerStatement {
  readonly kind: 'layer';
  /** Labels the layer's output (its first, for a layer with several). */
  readonly label?: Identifier;
  /** `seq, h, c = LSTM(...)`: the labels after the first (`h`, `c`), of the layer's later outputs, in order. */
  readonly moreLabels?: readonly Identifier[];
  readonly call: CallExpression;
  readonly range: Range;
}

/** `output main, aux`: the labelled tensors that are the model's outputs, in order. */
export interface OutputStatement {
  readonly kind: 'output';
  readonly names: readonly Identifier[];
  readonly keyword: Range;
  readonly range: Range;
}

export interface FromStatement {
  readonly kind: 'from';
  readonly target: Identifier;
  readonly range: Range;
}

export interface RepeatStatement {
  readonly kind: 'repeat';
  readonly count: Expression;
  readonly body: readonly Statement[];
  readonly keyword: Range;
  readonly range: Range;
}

export interface IfStatement {
  readonly kind: 'if';
  readonly condition: Expression;
  readonly body: readonly Statement[];
  readonly keyword: Range;
  readonly range: Range;
}

export type Statement = InputStatement | LayerStatement | FromStatement | OutputStatement | RepeatStatement | IfStatement;

export interface ModelParameter {
  readonly name: Identifier;
  readonly defaultValue?: Expression;
  readonly range: Range;
}

export interface VariantOf {
  readonly base: Identifier;
  readonly args: readonly Argument[];
  readonly range: Range;
}

export interface ModelDeclaration {
  readonly kind: 'model';
  readonly name: Identifier;
  readonly parameters: readonly ModelParameter[];
  /** Present for `model m { ... }`. */
  readonly body?: readonly Statement[];
  /** Present for `model b = a(filters = 48)`. */
  readonly variantOf?: VariantOf;
  readonly keyword: Range;
  readonly range: Range;
}

export interface Setting {
  readonly kind: 'setting';
  readonly name: Identifier;
  readonly value: Expression;
  readonly range: Range;
}

export interface RangeDomain {
  readonly kind: 'range';
  readonly low: Expression;
  readonly high: Expression;
  readonly step?: Expression;
  readonly log: boolean;
  readonly range: Range;
}

export interface ChoiceDomain {
  readonly kind: 'choice';
  readonly values: readonly Expression[];
  readonly range: Range;
}

export interface SearchParameter {
  readonly kind: 'search';
  readonly name: Identifier;
  readonly domain: RangeDomain | ChoiceDomain;
  readonly range: Range;
}

export interface TrainDeclaration {
  readonly kind: 'train';
  readonly models: readonly Identifier[];
  readonly settings: readonly Setting[];
  readonly keyword: Range;
  readonly range: Range;
}

export interface TuneDeclaration {
  readonly kind: 'tune';
  readonly models: readonly Identifier[];
  readonly settings: readonly Setting[];
  readonly searchParameters: readonly SearchParameter[];
  readonly keyword: Range;
  readonly range: Range;
}

export type Declaration = ModelDeclaration | TrainDeclaration | TuneDeclaration;

export interface ModelFile {
  readonly declarations: readonly Declaration[];
  readonly range: Range;
}
