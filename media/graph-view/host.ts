import type { GraphViewToHost } from '../../language-server/src/protocol/graph.js';

/** The VS Code webview API the graph view talks to (acquireVsCodeApi). */
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

export interface GraphHost {
  /** Starts delivering host messages (unvalidated) to `onMessage`, then tells the host the view is ready. */
  start(onMessage: (message: unknown) => void): void;
  post(message: GraphViewToHost): void;
  loadState(): unknown;
  saveState(state: unknown): void;
}

/** The webview's host; outside VS Code (a page opened by hand) messages go nowhere. */
export function createGraphHost(): GraphHost {
  const api = typeof window.acquireVsCodeApi === 'function' ? window.acquireVsCodeApi() : undefined;
  return {
    start(onMessage) {
      window.addEventListener('message', (event: MessageEvent<unknown>) => onMessage(event.data));
      api?.postMessage({ type: 'ready' } satisfies GraphViewToHost);
    },
    post: (message) => api?.postMessage(message),
    loadState: () => api?.getState(),
    saveState: (state) => api?.setState(state),
  };
}
