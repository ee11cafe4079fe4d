import { el } from '../view/dom.js';
import { formatCompact, formatDecimal } from '../view/format.js';
import { parameterNames, sortTrials } from './ranking.js';
import { formatValue } from './scales.js';
import type { SearchEntry, TrialEntry } from './search-store.js';
import type { SortColumn } from './state.js';
import { epochRange } from './trial-text.js';

export interface TableRender {
  readonly search: SearchEntry;
  readonly sortColumn: SortColumn | undefined;
  readonly sortDescending: boolean;
  readonly bestId: string | undefined;
  readonly selectedId: string | undefined;
  /** Whether a session is training the search now (else a `running` trial was interrupted). */
  readonly live: boolean;
}

interface Column {
  readonly key: SortColumn;
  readonly label: string;
  readonly cell: (trial: TrialEntry) => HTMLTableCellElement;
}

const stopText: Partial<Record<string, string>> = { 'early-stopped': 'completed (stopped early)', diverged: 'completed (diverged)' };

function statusCell(trial: TrialEntry, live: boolean): HTMLTableCellElement {
  if (trial.status === 'failed') return el('td', { className: 'status failed' }, [el('strong', { text: 'failed' }), trial.reason ? `: ${trial.reason}` : '']);
  if (trial.status === 'running') {
    const epoch = trial.history.at(-1)?.epoch;
    return el('td', { className: 'status running', text: live ? `running${epoch !== undefined ? ` (epoch ${epoch} of ${trial.epochs})` : ''}` : 'interrupted (runs again on resume)' });
  }
  return el('td', { className: 'status', text: stopText[trial.record?.stopReason ?? ''] ?? 'completed' });
}

function idCell(trial: TrialEntry, best: boolean): HTMLTableCellElement {
  return el('th', { attrs: { scope: 'row' } }, [trial.id, trial.parentId !== undefined ? el('span', { className: 'parent', text: ` ← ${trial.parentId}` }) : null, best ? el('span', { className: 'badge best-badge', text: '★ best' }) : null]);
}

/**
 * The trials as a table: every column sorts by a click on its header (a button,
 * so Enter and Space work too); rows select a trial by click, Enter or Space,
 * and the arrow keys move between rows.
 */
export class TrialsTable {
  readonly root: HTMLElement;
  private readonly table = el('table', { className: 'data-table trials-table' });
  private readonly empty = el('p', { className: 'empty', text: 'No trials yet.' });

  constructor(
    private readonly onSort: (column: SortColumn) => void,
    private readonly onSelect: (trialId: string) => void,
  ) {
    this.root = el('section', { className: 'trials', attrs: { 'aria-labelledby': 'trials-heading' } }, [el('h2', { text: 'Trials', attrs: { id: 'trials-heading' } }), this.empty, el('div', { className: 'table-scroll' }, [this.table])]);
    this.table.addEventListener('keydown', (event) => this.onKey(event));
  }

  /** The trials in the table's order (the export writes them so). */
  render(options: TableRender): TrialEntry[] {
    const { search, sortColumn, sortDescending, bestId, selectedId, live } = options;
    const focusedId = document.activeElement instanceof HTMLElement && this.table.contains(document.activeElement) ? document.activeElement.closest('tr')?.dataset['trial'] : undefined;
    const focusedSort = document.activeElement instanceof HTMLElement && this.table.contains(document.activeElement) ? document.activeElement.dataset['column'] : undefined;
    const direction = search.objective.direction === 'min' ? 'lower is better' : 'higher is better';
    const columns: Column[] = [
      { key: 'id', label: 'Trial', cell: (t) => idCell(t, t.id === bestId) },
      { key: 'status', label: 'Status', cell: (t) => statusCell(t, live) },
      ...parameterNames(search).map((name): Column => ({ key: `param:${name}`, label: name, cell: (t) => el('td', { text: formatValue(t.point[name]) }) })),
      { key: 'epochs', label: 'Epochs', cell: (t) => el('td', { text: epochRange(t) }) },
      { key: 'params', label: 'Params', cell: (t) => el('td', { text: formatCompact(t.params), attrs: t.params !== undefined ? { title: t.params.toLocaleString('en-US') } : {} }) },
      { key: 'score', label: `${search.objective.name} (${direction})`, cell: (t) => el('td', { className: 'score', text: t.status === 'completed' ? formatDecimal(t.score) : '–' }) },
    ];
    const trials = sortTrials([...search.trials.values()], sortColumn, sortDescending);
    const activeColumn = sortColumn ?? 'id';
    const header = columns.map((column) => {
      const sorted = column.key === activeColumn;
      const sortButton = el('button', { className: 'sort', text: column.label, attrs: { type: 'button', 'data-column': column.key } });
      sortButton.append(el('span', { className: 'sort-mark', text: sorted ? (sortDescending ? ' ▼' : ' ▲') : '', attrs: { 'aria-hidden': 'true' } }));
      sortButton.addEventListener('click', () => this.onSort(column.key));
      return el('th', { attrs: { scope: 'col', 'aria-sort': sorted ? (sortDescending ? 'descending' : 'ascending') : 'none' } }, [sortButton]);
    });
    const rowFocus = trials.some((t) => t.id === selectedId) ? selectedId : trials[0]?.id;
    const rows = trials.map((trial) => {
      const classes = [trial.id === bestId ? 'best' : '', trial.id === selectedId ? 'selected' : '', trial.status].filter(Boolean).join(' ');
      const row = el('tr', { className: classes, attrs: { 'data-trial': trial.id, tabindex: trial.id === rowFocus ? '0' : '-1', ...(trial.id === selectedId ? { 'aria-current': 'true' } : {}) } }, columns.map((c) => c.cell(trial)));
      row.addEventListener('click', () => this.onSelect(trial.id));
      return row;
    });
    this.table.replaceChildren(
      el('caption', { text: `Trials of ${search.model}: select one to see its curves; sort by any column.` }),
      el('thead', {}, [el('tr', {}, header)]),
      el('tbody', {}, rows),
    );
    this.empty.hidden = trials.length > 0;
    // Rebuilding must not lose the keyboard's place.
    if (focusedId !== undefined) this.table.querySelector<HTMLElement>(`tr[data-trial="${CSS.escape(focusedId)}"]`)?.focus();
    else if (focusedSort !== undefined) this.table.querySelector<HTMLElement>(`button[data-column="${CSS.escape(focusedSort)}"]`)?.focus();
    return trials;
  }

  private onKey(event: KeyboardEvent): void {
    const row = event.target instanceof HTMLTableRowElement ? event.target : undefined;
    if (!row) return;
    const id = row.dataset['trial'];
    const rows = [...this.table.querySelectorAll<HTMLTableRowElement>('tbody tr')];
    const index = rows.indexOf(row);
    let next: HTMLTableRowElement | undefined;
    switch (event.key) {
      case 'Enter':
      case ' ':
        event.preventDefault();
        if (id !== undefined) this.onSelect(id);
        return;
      case 'ArrowDown':
        next = rows[index + 1];
        break;
      case 'ArrowUp':
        next = rows[index - 1];
        break;
      case 'Home':
        next = rows[0];
        break;
      case 'End':
        next = rows.at(-1);
        break;
      default:
        return;
    }
    event.preventDefault();
    if (!next) return;
    row.tabIndex = -1;
    next.tabIndex = 0;
    next.focus();
  }
}
