import type { HostCapabilities, HostToTuneView } from '../../language-server/src/training/view-protocol.js';
import type { TuneSummary } from '../../language-server/src/tuning/runner.js';
import { createHost, reportDataId, type Host } from '../view/host.js';

/** The search report's data block (`<script type="application/json" id="layerlab-data">`). */
export interface TuneReportData {
  readonly title: string;
  readonly searches: readonly TuneSummary[];
}

const stateKey = 'layerlab-tune-view-state';
const reportCapabilities: HostCapabilities = { stop: false, openRun: false };

/**
 * The training view's host, adapted: in a webview it is used as it is; in the
 * standalone report the data block holds searches (not runs) and the UI state
 * is kept under its own key.
 */
export function createTuneHost(): Host {
  const host = createHost();
  if (host.kind === 'webview') return host;
  return {
    ...host,
    start(onMessage) {
      let data: unknown;
      try {
        data = JSON.parse(document.getElementById(reportDataId)?.textContent ?? 'null');
      } catch (error) {
        console.warn('layerlab: the report data is not JSON', error);
      }
      const record = typeof data === 'object' && data !== null ? (data as Partial<TuneReportData>) : {};
      onMessage({ type: 'init', title: typeof record.title === 'string' ? record.title : document.title, capabilities: reportCapabilities } satisfies HostToTuneView);
      onMessage({ type: 'searches', searches: Array.isArray(record.searches) ? record.searches : [] });
    },
    loadState() {
      try {
        const text = sessionStorage.getItem(stateKey);
        return text === null ? undefined : (JSON.parse(text) as unknown);
      } catch {
        return undefined;
      }
    },
    saveState(state) {
      try {
        sessionStorage.setItem(stateKey, JSON.stringify(state));
      } catch {
        // A file:// page may have no storage; the state then lives as long as the page.
      }
    },
  };
}
