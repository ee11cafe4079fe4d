/** The search view's UI state, kept by the host across reloads (getState / setState); search data is not part of it. */

/** A trials-table column: `id`, `status`, `epochs`, `params`, `score`, or `param:<name>` for a searched parameter. */
export type SortColumn = string;

export interface TuneUiState {
  readonly version: 1;
  /** Undefined: trials in id order. */
  readonly sortColumn?: SortColumn;
  readonly sortDescending: boolean;
  readonly selectedTrialId?: string;
  /** The search shown when the view has several (its folder). */
  readonly selectedSearchDir?: string;
  /** Folders of the saved searches shown; the extension reads them to restore the panel after a reload. */
  readonly loadedSearchIds: readonly string[];
}

export const defaultTuneState: TuneUiState = { version: 1, sortDescending: false, loadedSearchIds: [] };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isColumn = (value: unknown): value is SortColumn => typeof value === 'string' && /^(id|status|epochs|params|score|param:.+)$/.test(value);

/** Whatever getState returned (another version, nothing, garbage) as a valid state. */
export function restoreTuneState(saved: unknown): TuneUiState {
  if (!isRecord(saved) || saved['version'] !== 1) return defaultTuneState;
  const ids = saved['loadedSearchIds'];
  return {
    version: 1,
    sortDescending: saved['sortDescending'] === true,
    loadedSearchIds: Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [],
    ...(isColumn(saved['sortColumn']) ? { sortColumn: saved['sortColumn'] } : {}),
    ...(typeof saved['selectedTrialId'] === 'string' ? { selectedTrialId: saved['selectedTrialId'] } : {}),
    ...(typeof saved['selectedSearchDir'] === 'string' ? { selectedSearchDir: saved['selectedSearchDir'] } : {}),
  };
}
