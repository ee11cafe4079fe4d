import { el } from '../view/dom.js';
import { formatDecimal } from '../view/format.js';
import { formatValue } from './scales.js';
import type { SearchEntry, TrialEntry } from './search-store.js';
import { epochRange } from './trial-text.js';

/** The best trial so far: its point, score and id, and how to use its values. */
export class BestPanel {
  readonly root: HTMLElement;
  private readonly body = el('div', { className: 'best-body' });

  constructor(private readonly onSelect: (trialId: string) => void) {
    this.root = el('section', { className: 'best-trial', attrs: { 'aria-labelledby': 'best-heading' } }, [el('h2', { text: 'Best trial', attrs: { id: 'best-heading' } }), this.body]);
  }

  render(search: SearchEntry | undefined, best: TrialEntry | undefined): void {
    if (!search || !best || best.score === undefined) {
      const announced = search?.announcedBest;
      this.body.replaceChildren(el('p', { className: 'empty', text: announced ? `Trial ${announced.trialId} (${search.objective.name} ${formatDecimal(announced.score)}), from an earlier run of this search.` : 'No trial has completed yet.' }));
      return;
    }
    const show = el('button', { className: 'secondary small', text: `Show trial ${best.id}`, attrs: { type: 'button' } });
    show.addEventListener('click', () => this.onSelect(best.id));
    const values = el('dl', { className: 'best-values' }, Object.entries(best.point).flatMap(([name, value]) => [el('dt', { text: name }), el('dd', { className: 'best-value', text: formatValue(value), attrs: { 'data-parameter': name } })]));
    this.body.replaceChildren(
      el('p', { className: 'best-score' }, [
        el('strong', { text: `${search.objective.name} ${formatDecimal(best.score)}` }),
        ` — trial `,
        el('span', { className: 'best-id', text: best.id }),
        `, epochs ${epochRange(best)}${best.bestEpoch !== undefined ? ` (best at epoch ${best.bestEpoch})` : ''} `,
        show,
      ]),
      values,
      el('p', { className: 'note', text: 'The code action “Apply best values” on the tune block in the editor writes these values into the model as its defaults.' }),
    );
  }
}
