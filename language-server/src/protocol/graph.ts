import type { GraphPosition, GraphRange, ModelGraph } from '../features/model-graph.js';

/**
 * Messages between the graph view (media/graph-view, in a webview) and its host (the VS Code
 * extension), and the drawing the view shares with `layerlab graph`. This file is bundled into
 * the browser code: at run time it re-exports graph/ only, which imports no package (the view
 * hands the layout its own ELK engine).
 */

export type { GraphEdge, GraphGroup, GraphNode, GraphPosition, GraphRange, GraphTotals, ModelGraph } from '../features/model-graph.js';
export type { ElkInputNode, ElkOutputNode, GraphLayout, LayoutEngine, PlacedEdge, PlacedFrame, PlacedItem, SizeBy } from '../graph/layout.js';
export type { GraphPalette } from '../graph/palette.js';
export type { VisibleGraph, VisibleItem } from '../graph/visible.js';
export { barGap, barHeight, frameHeading, layoutGraph } from '../graph/layout.js';
export { darkPalette, lightPalette, mix, monospaceFonts } from '../graph/palette.js';
export { edgeSvg, escapeXml, frameSvg, graphSvg, itemSvg, totalsSvg } from '../graph/svg.js';
export { defaultFolds, maxLaidOutBoxes, visibleGraph } from '../graph/visible.js';
export { fontSize, totalsLines } from '../graph/node-text.js';

/** Host → graph view. */
export type HostToGraphView =
  /** The graph of the model shown (null, with `problem`, when there is none to show), and the file's models for the picker. */
  | { readonly type: 'graph'; readonly file: string; readonly models: readonly string[]; readonly graph: ModelGraph | null; readonly problem?: string }
  /** Where the cursor is in the source; null when the editor of the file is not the active one. */
  | { readonly type: 'cursor'; readonly position: GraphPosition | null };

/** Graph view → host. */
export type GraphViewToHost =
  | { readonly type: 'ready' }
  /** A box was clicked: put the cursor on its statement. */
  | { readonly type: 'reveal'; readonly range: GraphRange }
  /** The model picker: show this model of the file. */
  | { readonly type: 'show-model'; readonly model: string }
  /** Save a file the user exported; `data` is text or base64. */
  | { readonly type: 'export'; readonly fileName: string; readonly data: string; readonly encoding: 'utf8' | 'base64' };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
const isPosition = (value: unknown): value is GraphPosition => isObject(value) && isCount(value['line']) && isCount(value['character']);
const isRange = (value: unknown): value is GraphRange => isObject(value) && isPosition(value['start']) && isPosition(value['end']);

function isGraph(value: unknown): value is ModelGraph {
  return isObject(value) && typeof value['model'] === 'string' && Array.isArray(value['nodes']) && Array.isArray(value['edges']) && Array.isArray(value['groups']) && isObject(value['totals']) && isRange(value['range']);
}

export function isHostToGraphView(value: unknown): value is HostToGraphView {
  if (!isObject(value)) return false;
  switch (value['type']) {
    case 'graph':
      return (
        typeof value['file'] === 'string' &&
        Array.isArray(value['models']) &&
        value['models'].every((m) => typeof m === 'string') &&
        (value['graph'] === null || isGraph(value['graph'])) &&
        (value['problem'] === undefined || typeof value['problem'] === 'string')
      );
    case 'cursor':
      return value['position'] === null || isPosition(value['position']);
    default:
      return false;
  }
}

export function isGraphViewToHost(value: unknown): value is GraphViewToHost {
  if (!isObject(value)) return false;
  switch (value['type']) {
    case 'ready':
      return true;
    case 'reveal':
      return isRange(value['range']);
    case 'show-model':
      return typeof value['model'] === 'string';
    case 'export':
      return (
        typeof value['fileName'] === 'string' &&
        /^[\w.() -]{1,120}$/.test(value['fileName']) &&
        typeof value['data'] === 'string' &&
        (value['encoding'] === 'utf8' || value['encoding'] === 'base64')
      );
    default:
      return false;
  }
}
