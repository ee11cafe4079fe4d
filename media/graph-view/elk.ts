import ELK from 'elkjs/lib/elk.bundled.js';
import type { LayoutEngine } from '../../language-server/src/protocol/graph.js';

/**
 * ELK's bundled build, run in the view's page (its own "worker" runs in this thread, so the
 * webview needs no worker-src): layouts take tens to hundreds of milliseconds, and the editor
 * and the language server never wait for them.
 */
export const layoutEngine: LayoutEngine = new ELK();
