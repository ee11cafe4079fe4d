import { mountView } from '../view/mount.js';
import { TuneView, type TuneViewDebug } from './app.js';

declare global {
  interface Window {
    __layerlabTuneView?: TuneViewDebug;
  }
}

// In the standalone report the data block holds searches (not runs) and the UI state has its own key.
mountView(
  (root, host) => new TuneView(root, host),
  (debug) => (window.__layerlabTuneView = debug),
  { dataField: 'searches', stateKey: 'layerlab-tune-view-state' },
);
