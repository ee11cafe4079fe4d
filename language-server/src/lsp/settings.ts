import type { InlayHintsConfig } from '../features/inlay-hints.js';

/** What the client said at start-up and in its configuration. */
export interface Settings {
  readonly inlayHints: InlayHintsConfig;
  readonly trainAvailable: boolean;
  /** The client registers `layerlab.showSummary`, `layerlab.showModelGraph`, `layerlab.train` and `layerlab.tune` itself (Layerlab's VS Code extension). */
  readonly clientCommands: boolean;
  readonly budgets: RequestBudgets;
}

export interface RequestBudget {
  readonly milliseconds: number;
  readonly maxItems?: number;
}

/**
 * What a request over a whole document may spend. Outline, semantic tokens and hints past the
 * budget are left out (the editor shows the rest uncoloured, unhinted); a formatting past it is
 * refused, since half a formatting is none. A client may set others with
 * `initializationOptions.requestBudgets`.
 */
export const defaultRequestBudgets = {
  documentSymbol: { milliseconds: 500, maxItems: 20_000 },
  semanticTokens: { milliseconds: 1000 },
  inlayHint: { milliseconds: 250, maxItems: 5_000 },
  formatting: { milliseconds: 2000 },
} as const satisfies Record<string, RequestBudget>;

export type RequestBudgets = { readonly [K in keyof typeof defaultRequestBudgets]: RequestBudget };

/** The budgets of `initializationOptions.requestBudgets` where they are well formed, the defaults elsewhere. */
export function requestBudgetsFrom(options: unknown): RequestBudgets {
  const given = typeof options === 'object' && options !== null ? (options as Record<string, unknown>) : {};
  const result: Record<string, RequestBudget> = {};
  for (const [name, fallback] of Object.entries(defaultRequestBudgets)) {
    const value = given[name];
    const budget = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
    const number = (x: unknown): number | undefined => (typeof x === 'number' && x >= 0 ? x : undefined);
    const maxItems = number(budget['maxItems']) ?? ('maxItems' in fallback ? fallback.maxItems : undefined);
    result[name] = { milliseconds: number(budget['milliseconds']) ?? fallback.milliseconds, ...(maxItems !== undefined ? { maxItems } : {}) };
  }
  return result as RequestBudgets;
}
