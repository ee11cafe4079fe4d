import type { HostCapabilities, HostToView, ViewRun, ViewToHost } from '../../language-server/src/protocol/views.js';

/** What the view needs from where it runs: a VS Code webview, or the standalone HTML report. */
export interface Host {
  readonly kind: 'webview' | 'report';
  /** Starts delivering host messages (unvalidated) to `onMessage`, then tells the host the view is ready. */
  start(onMessage: (message: unknown) => void): void;
  post(message: ViewToHost): void;
  loadState(): unknown;
  saveState(state: unknown): void;
  /** Hands an exported file to the user: to the extension to save, or as a download. */
  exportFile(fileName: string, data: string, encoding: 'utf8' | 'base64'): void;
}

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare global {
  interface Window {
    acquireVsCodeApi?: () => VsCodeApi;
  }
}

/** The training report's data block: `<script type="application/json" id="layerlab-data">` (the search report's has `searches` for `runs`). */
export interface ReportData {
  readonly title: string;
  readonly runs: readonly ViewRun[];
}

export const reportDataId = 'layerlab-data';

/** What differs between the views' standalone reports. */
export interface ReportOptions {
  /** The data block's list, sent as the message of that type: `runs` (training) or `searches` (search view). */
  readonly dataField: 'runs' | 'searches';
  /** Where the report keeps the UI state in sessionStorage. */
  readonly stateKey: string;
}

const trainingReport: ReportOptions = { dataField: 'runs', stateKey: 'layerlab-view-state' };

/** The host the view runs in: the VS Code webview when there is one, else the standalone report. */
export function createHost(report: ReportOptions = trainingReport): Host {
  const acquire = window.acquireVsCodeApi;
  return typeof acquire === 'function' ? webviewHost(acquire()) : reportHost(report);
}

function webviewHost(api: VsCodeApi): Host {
  return {
    kind: 'webview',
    start(onMessage) {
      window.addEventListener('message', (event: MessageEvent<unknown>) => onMessage(event.data));
      api.postMessage({ type: 'ready' } satisfies ViewToHost);
    },
    post: (message) => api.postMessage(message),
    loadState: () => api.getState(),
    saveState: (state) => api.setState(state),
    exportFile: (fileName, data, encoding) => api.postMessage({ type: 'export', fileName, data, encoding } satisfies ViewToHost),
  };
}

const reportCapabilities: HostCapabilities = { stop: false, openRun: false };

function reportHost({ dataField, stateKey }: ReportOptions): Host {
  return {
    kind: 'report',
    start(onMessage) {
      const script = document.getElementById(reportDataId);
      let data: unknown;
      try {
        data = JSON.parse(script?.textContent ?? 'null');
      } catch (error) {
        console.warn('layerlab: the report data is not JSON', error);
      }
      const record = typeof data === 'object' && data !== null ? (data as Partial<Record<string, unknown>>) : {};
      const list = record[dataField];
      onMessage({ type: 'init', title: typeof record['title'] === 'string' ? record['title'] : document.title, capabilities: reportCapabilities } satisfies HostToView);
      onMessage({ type: dataField, [dataField]: Array.isArray(list) ? list : [] });
    },
    // Nobody listens: the report has no live session and nothing to open.
    post: () => undefined,
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
    exportFile(fileName, data, encoding) {
      const bytes = encoding === 'base64' ? Uint8Array.from(atob(data), (c) => c.charCodeAt(0)) : data;
      const url = URL.createObjectURL(new Blob([bytes], { type: mimeType(fileName) }));
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    },
  };
}

function mimeType(fileName: string): string {
  if (fileName.endsWith('.png')) return 'image/png';
  if (fileName.endsWith('.svg')) return 'image/svg+xml';
  if (fileName.endsWith('.json')) return 'application/json';
  if (fileName.endsWith('.csv')) return 'text/csv';
  return 'application/octet-stream';
}
