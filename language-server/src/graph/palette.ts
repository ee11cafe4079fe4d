import type { GraphNode } from '../features/model-graph.js';

/**
 * The colours of a drawn graph. The view fills one from the VS Code theme's CSS variables;
 * the CLI and exports without a theme use the light or dark one below.
 */
export interface GraphPalette {
  readonly background: string;
  readonly foreground: string;
  readonly muted: string;
  readonly nodeFill: string;
  readonly nodeStroke: string;
  readonly frameFill: string;
  readonly frameStroke: string;
  readonly edge: string;
  /** Labels the user wrote. */
  readonly label: string;
  readonly error: string;
  readonly focus: string;
  /** Value colours from low to high, for colouring by parameters or memory. */
  readonly heatLow: string;
  readonly heatHigh: string;
  /** The stripe on the left of each box, by layer family. */
  readonly families: Readonly<Record<GraphNode['family'], string>>;
  readonly fontFamily: string;
}

export const monospaceFonts = "ui-monospace, 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";

const lightFamilies: GraphPalette['families'] = {
  input: '#6e7781',
  core: '#1a73e8',
  convolution: '#1e8e3e',
  pooling: '#12a4af',
  normalization: '#9334e6',
  regularization: '#b58800',
  reshaping: '#8c6d4f',
  recurrent: '#e8710a',
  wrapper: '#e8710a',
  activation: '#d01884',
  preprocessing: '#6e7781',
  merging: '#d93025',
};

export const lightPalette: GraphPalette = {
  background: '#ffffff',
  foreground: '#1f2328',
  muted: '#59636e',
  nodeFill: '#f6f8fa',
  nodeStroke: '#8c959f',
  frameFill: 'rgba(9, 105, 218, 0.05)',
  frameStroke: '#9ab6d9',
  edge: '#6e7781',
  label: '#0550ae',
  error: '#c5221f',
  focus: '#0969da',
  heatLow: '#fff4c2',
  heatHigh: '#e8710a',
  families: lightFamilies,
  fontFamily: monospaceFonts,
};

export const darkPalette: GraphPalette = {
  background: '#1f1f1f',
  foreground: '#cccccc',
  muted: '#9d9d9d',
  nodeFill: '#2a2d2e',
  nodeStroke: '#6b6f73',
  frameFill: 'rgba(55, 148, 255, 0.07)',
  frameStroke: '#3f5f86',
  edge: '#8b8f94',
  label: '#79c0ff',
  error: '#f14c4c',
  focus: '#3794ff',
  heatLow: '#4a3a16',
  heatHigh: '#f0a020',
  families: {
    input: '#8b949e',
    core: '#3794ff',
    convolution: '#89d185',
    pooling: '#4ec9b0',
    normalization: '#b180d7',
    regularization: '#cca700',
    reshaping: '#c8a47e',
    recurrent: '#d18616',
    wrapper: '#d18616',
    activation: '#f06fb0',
    preprocessing: '#8b949e',
    merging: '#f14c4c',
  },
  fontFamily: monospaceFonts,
};

function channels(colour: string): [number, number, number] | undefined {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour.trim());
  if (hex) {
    const n = parseInt(hex[1] ?? '0', 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const rgb = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(colour.trim());
  return rgb ? [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])] : undefined;
}

/** The colour `t` (0–1) of the way from `low` to `high`; `high` when either is not a colour this can mix. */
export function mix(low: string, high: string, t: number): string {
  const a = channels(low);
  const b = channels(high);
  if (!a || !b) return high;
  const c = a.map((v, i) => Math.round(v + ((b[i] ?? v) - v) * Math.max(0, Math.min(1, t))));
  return `#${c.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}
