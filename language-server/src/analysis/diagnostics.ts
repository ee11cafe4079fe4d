import type { Range } from '../syntax/ast.js';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A machine-readable reason, used by quick fixes and tests. */
export type DiagnosticCode =
  | 'syntax'
  | 'unknown-layer'
  | 'unknown-argument'
  | 'duplicate-argument'
  | 'too-many-arguments'
  | 'missing-argument'
  | 'argument-type'
  | 'unknown-name'
  | 'shape'
  | 'spatial-too-small'
  | 'rank'
  | 'merge'
  | 'input'
  | 'label'
  | 'discarded-output'
  /** An `output` statement out of place, or naming a tensor twice. */
  | 'output'
  | 'model'
  | 'variant'
  | 'train'
  | 'unknown-setting'
  | 'setting-type'
  | 'output-width'
  | 'output-rank'
  | 'from-logits'
  | 'logits-without-softmax'
  | 'dataset-shape'
  | 'search-space'
  /** A Keras 2 argument Keras 3 still accepts (`lr=`, `input_shape=`, `input_length=`). */
  | 'deprecated';

export interface Diagnostic {
  readonly severity: Severity;
  readonly code: DiagnosticCode;
  readonly message: string;
  readonly range: Range;
  /** Replacement texts offered as quick fixes for `range` (did-you-mean, the right width, …). */
  readonly replacements?: readonly string[];
  /** Marks deprecated code, so editors can strike it through. */
  readonly deprecated?: boolean;
}

/** Collects diagnostics, dropping exact duplicates (the same layer is analysed once per repetition or variant). */
export class DiagnosticSink {
  private readonly seen = new Set<string>();
  readonly items: Diagnostic[] = [];

  report(diagnostic: Diagnostic): void {
    const key = `${diagnostic.range.start}:${diagnostic.range.end}:${diagnostic.severity}:${diagnostic.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push(diagnostic);
  }

  error(code: DiagnosticCode, message: string, range: Range, extra: Partial<Diagnostic> = {}): void {
    this.report({ severity: 'error', code, message, range, ...extra });
  }

  warning(code: DiagnosticCode, message: string, range: Range, extra: Partial<Diagnostic> = {}): void {
    this.report({ severity: 'warning', code, message, range, ...extra });
  }

  get errorCount(): number {
    return this.items.filter((d) => d.severity === 'error').length;
  }
}
