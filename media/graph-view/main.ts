import { GraphView, type GraphViewDebug } from './app.js';
import { createGraphHost } from './host.js';

declare global {
  interface Window {
    __layerlabGraphView?: GraphViewDebug;
  }
}

function mount(): void {
  let root = document.getElementById('app');
  if (!root) {
    root = document.createElement('div');
    root.id = 'app';
    document.body.append(root);
  }
  const view = new GraphView(root, createGraphHost());
  window.__layerlabGraphView = view.debug();
  view.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount, { once: true });
else mount();
