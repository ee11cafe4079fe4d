import type { LoadProgress } from './types.js';

const MB = 1024 * 1024;

function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0)} MB`;
}

/**
 * Progress lines for downloads and long reads, with the size, the speed over the
 * last stretch and the time left: "downloading train-images-idx3-ubyte.gz: 3.2 of
 * 9.5 MB (34%), 2.1 MB/s, 3 s left". A new stage starts a new speed measurement.
 */
export class ProgressText {
  private stage = '';
  private startedAt = 0;
  private startedDone = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  describe(progress: LoadProgress): string {
    const now = this.now();
    if (progress.stage !== this.stage || progress.done < this.startedDone) {
      this.stage = progress.stage;
      this.startedAt = now;
      this.startedDone = progress.done;
    }
    if (!progress.stage.startsWith('downloading')) {
      return progress.total ? `${progress.stage} ${Math.round((100 * progress.done) / progress.total)}%` : progress.stage;
    }
    const parts = [progress.total ? `${megabytes(progress.done)} of ${megabytes(progress.total)} (${Math.round((100 * progress.done) / progress.total)}%)` : megabytes(progress.done)];
    const seconds = (now - this.startedAt) / 1000;
    const rate = seconds >= 0.5 ? (progress.done - this.startedDone) / seconds : 0;
    if (rate > 0) {
      parts.push(`${(rate / MB).toFixed(1)} MB/s`);
      if (progress.total && progress.done < progress.total) parts.push(`${Math.ceil((progress.total - progress.done) / rate)} s left`);
    }
    return `${progress.stage}: ${parts.join(', ')}`;
  }
}
