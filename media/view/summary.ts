import type { RunRecord } from '../../language-server/src/protocol/views.js';
import { el } from './dom.js';
import { formatCompact, formatDecimal, formatDuration, formatInteger, formatPercent, formatPointDelta } from './format.js';

const statusText: Record<RunRecord['status'], string> = {
  running: 'running',
  interrupted: 'interrupted',
  completed: 'completed',
  'early-stopped': 'stopped early',
  cancelled: 'cancelled',
  diverged: 'diverged',
  failed: 'failed',
};

/** The facts of one run as a definition list. */
export function renderSummary(record: RunRecord): HTMLElement {
  const entries: [string, string][] = [
    ['Model', `${record.model.name} (${record.model.file.split(/[\\/]/).pop() ?? record.model.file})`],
    ['Data set', `${record.dataset.name}: ${formatInteger(record.dataset.train)} train, ${formatInteger(record.dataset.validation)} validation, ${formatInteger(record.dataset.test)} test`],
    ['Status', statusText[record.status] + (record.message ? `: ${record.message}` : '')],
    ['Test accuracy', formatPercent(record.test?.accuracy, 2)],
    ['Test loss', formatDecimal(record.test?.loss)],
    ['Best epoch', record.bestEpoch !== undefined ? `${record.bestEpoch} of ${record.history.length}` : '–'],
    ['Parameters', `${formatInteger(record.model.params)} (${formatInteger(record.model.trainableParams)} trainable, ${formatInteger(record.model.nonTrainableParams)} non-trainable)`],
    ['FLOPs per sample', record.model.flops === null ? 'unknown' : formatCompact(record.model.flops)],
    ['Wall time', formatDuration(record.wallSeconds)],
    ['Samples per second', record.samplesPerSecond !== undefined ? formatInteger(record.samplesPerSecond) : '–'],
    ['Backend', `${record.backend.name} on ${record.backend.device}`],
  ];
  const overfitting = record.overfitting;
  const list = el(
    'dl',
    { className: 'summary-list' },
    entries.flatMap(([term, value]) => [el('dt', { text: term }), el('dd', { text: value })]),
  );
  const children: HTMLElement[] = [list];
  if (overfitting) {
    children.push(
      el('p', {
        className: 'warning overfitting',
        attrs: { role: 'note' },
        text: `Overfitting: training accuracy ${formatPercent(overfitting.trainAccuracy, 2)} vs validation ${formatPercent(overfitting.validationAccuracy, 2)} (gap ${formatPointDelta(overfitting.gap)}).`,
      }),
    );
  }
  return el('section', { className: 'summary', attrs: { 'aria-label': 'Run summary' } }, children);
}
