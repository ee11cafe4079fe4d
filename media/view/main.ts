import { TrainingView, type ViewDebug } from './app.js';
import { mountView } from './mount.js';

declare global {
  interface Window {
    __layerlabView?: ViewDebug;
  }
}

mountView(
  (root, host) => new TrainingView(root, host),
  (debug) => (window.__layerlabView = debug),
);
