import { join } from 'node:path';
import type { TuneSummary } from '../tuning/runner.js';
import { findPackageRoot, readAsset, selfContainedPage } from './html-report.js';

export interface TuneReportOptions {
  readonly title: string;
  readonly searches: readonly TuneSummary[];
  /** The folder with tune-view.js and tune-view.css (default: the package's media/dist). */
  readonly assetsDir?: string;
}

/**
 * The search view as one self-contained HTML file: its script, stylesheet and the
 * searches inline, with a CSP that allows exactly those inline blocks and nothing remote.
 */
export function renderTuneReport(options: TuneReportOptions): string {
  const assets = options.assetsDir ?? join(findPackageRoot(), 'media', 'dist');
  return selfContainedPage({
    title: options.title,
    script: readAsset(assets, 'tune-view.js'),
    style: readAsset(assets, 'tune-view.css'),
    data: { title: options.title, searches: options.searches },
  });
}
