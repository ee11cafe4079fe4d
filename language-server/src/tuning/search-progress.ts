import type { TuneEvent } from './runner.js';

/**
 * Where a search stands, from its events: the trial running, of how many, and the time
 * left at the pace of the trials this run has finished ("trial 3 of 15, about 4 min left").
 */
export class SearchProgress {
  private planned: number | undefined;
  private resumed = 0;
  private ended = 0;
  private current = 0;
  private firstStartedAt: number | undefined;

  constructor(private readonly now: () => number = () => Date.now()) {}

  update(event: TuneEvent): void {
    if (event.type === 'search') {
      this.planned = event.plannedTrials;
      this.resumed = event.resumedTrials;
      this.ended = 0;
      this.firstStartedAt = undefined;
    } else if (event.type === 'trial-start') {
      this.current = event.trial.number;
      this.firstStartedAt ??= this.now();
    } else if (event.type === 'trial-end') this.ended++;
  }

  describe(): string {
    const parts = [`trial ${this.current}${this.planned !== undefined ? ` of ${this.planned}` : ''}`];
    if (this.planned !== undefined && this.ended > 0 && this.firstStartedAt !== undefined) {
      const perTrial = (this.now() - this.firstStartedAt) / this.ended;
      const left = Math.max(0, this.planned - this.resumed - this.ended) * perTrial;
      if (left > 0) parts.push(`about ${duration(left)} left`);
    }
    return parts.join(', ');
  }
}

function duration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 90) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
