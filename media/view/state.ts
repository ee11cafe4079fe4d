/** The UI state the host keeps across reloads (getState / setState); run data is not part of it. */

export type Tab = 'curves' | 'results' | 'compare';

export const tabs: readonly Tab[] = ['curves', 'results', 'compare'];

export interface MatrixCell {
  readonly trueClass: number;
  readonly predictedClass: number;
}

export interface UiState {
  readonly version: 1;
  readonly tab: Tab;
  readonly selectedRunId?: string;
  readonly logScale: boolean;
  readonly normalized: boolean;
  readonly selectedCell?: MatrixCell;
  readonly baselineId?: string;
  readonly loadedRunIds: readonly string[];
}

export const defaultState: UiState = { version: 1, tab: 'curves', logScale: false, normalized: false, loadedRunIds: [] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isIndex = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;

/** Whatever getState returned (an older version, nothing, garbage) as a valid state. */
export function restoreState(saved: unknown): UiState {
  if (!isRecord(saved) || saved['version'] !== 1) return defaultState;
  const tab = tabs.find((t) => t === saved['tab']) ?? defaultState.tab;
  const cell = saved['selectedCell'];
  const selectedCell = isRecord(cell) && isIndex(cell['trueClass']) && isIndex(cell['predictedClass']) ? { trueClass: cell['trueClass'], predictedClass: cell['predictedClass'] } : undefined;
  const ids = saved['loadedRunIds'];
  return {
    version: 1,
    tab,
    logScale: saved['logScale'] === true,
    normalized: saved['normalized'] === true,
    loadedRunIds: Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [],
    ...(typeof saved['selectedRunId'] === 'string' ? { selectedRunId: saved['selectedRunId'] } : {}),
    ...(typeof saved['baselineId'] === 'string' ? { baselineId: saved['baselineId'] } : {}),
    ...(selectedCell ? { selectedCell } : {}),
  };
}
