import { TrainingView, type ViewDebug } from './app.js';
import { createHost } from './host.js';

declare global {
  interface Window {
    __layerlabView?: ViewDebug;
  }
}

function mount(): void {
  let root = document.getElementById('app');
  if (!root) {
    root = document.createElement('div');
    root.id = 'app';
    document.body.append(root);
  }
  const view = new TrainingView(root, createHost());
  window.__layerlabView = view.debug();
  view.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount, { once: true });
else mount();
