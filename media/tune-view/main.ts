import { TuneView, type TuneViewDebug } from './app.js';
import { createTuneHost } from './tune-host.js';

declare global {
  interface Window {
    __layerlabTuneView?: TuneViewDebug;
  }
}

function mount(): void {
  let root = document.getElementById('app');
  if (!root) {
    root = document.createElement('div');
    root.id = 'app';
    document.body.append(root);
  }
  const view = new TuneView(root, createTuneHost());
  window.__layerlabTuneView = view.debug();
  view.start();
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount, { once: true });
else mount();
