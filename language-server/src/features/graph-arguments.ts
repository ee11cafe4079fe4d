import type { ResolvedArgs } from '../analysis/arguments.js';
import type { LayerSpec } from '../catalog/types.js';
import { formatValue, type Value } from '../catalog/values.js';

/**
 * The few arguments a graph node shows under its layer type: what the user wrote, in the
 * layer's own argument order, each in a short form (`32 filters`, `3×3`, `stride 2`, `relu`).
 * Defaults, initialisers, regularisers and the like are left out: they rarely tell layers apart.
 */

const hidden = new Set(['name', 'trainable', 'dtype', 'data_format', 'seed', 'input_shape', 'batch_input_shape', 'input_length']);
const hiddenSuffixes = ['_initializer', '_regularizer', '_constraint'];

/** Most pieces a node shows; the rest is in the source, one click away. */
const maxPieces = 5;
const maxPieceLength = 28;

/** The ints of a number or a tuple, nested tuples (padding's pairs) flattened; undefined for anything else. */
function ints(value: Value): number[] | undefined {
  if (value.kind === 'number') return [value.value];
  if (value.kind !== 'tuple') return undefined;
  const list: number[] = [];
  for (const item of value.items) {
    const inner = ints(item);
    if (!inner) return undefined;
    list.push(...inner);
  }
  return list;
}

/** `3×3` for a window; a single int stands for itself. */
function window(value: Value): string {
  const list = ints(value);
  return list ? list.join('×') : formatValue(value);
}

/** A step along every axis: `2` when the axes agree, `2×1` when they do not. */
function step(value: Value): string {
  const list = ints(value);
  return list && list.length > 0 && list.every((n) => n === list[0]) ? String(list[0]) : window(value);
}

const isOnes = (value: Value): boolean => ints(value)?.every((n) => n === 1) ?? false;

type Piece = (value: Value) => string | undefined;

/** Short forms by argument name; `undefined` leaves the argument out (a value that says nothing). */
const pieces: Readonly<Record<string, Piece>> = {
  filters: (v) => `${formatValue(v)} filters`,
  units: (v) => `${formatValue(v)} units`,
  kernel_size: (v) => window(v),
  pool_size: (v) => `${window(v)} pool`,
  size: (v) => `×${window(v)}`,
  strides: (v) => (isOnes(v) || v.kind === 'none' ? undefined : `stride ${step(v)}`),
  dilation_rate: (v) => (isOnes(v) ? undefined : `dilation ${step(v)}`),
  padding: (v) => (v.kind === 'number' || v.kind === 'tuple' ? `pad ${step(v)}` : formatValue(v) === 'valid' ? undefined : formatValue(v)),
  cropping: (v) => `crop ${step(v)}`,
  activation: (v) => (formatValue(v) === 'linear' ? undefined : formatValue(v)),
  rate: (v) => `rate ${formatValue(v)}`,
  return_sequences: (v) => (v.kind === 'bool' && v.value ? 'sequences' : undefined),
  use_bias: (v) => (v.kind === 'bool' && !v.value ? 'no bias' : undefined),
  target_shape: (v) => `to ${window(v)}`,
  input_dim: (v) => `${formatValue(v)} tokens`,
  output_dim: (v) => `${formatValue(v)} dims`,
  axis: (v) => `axis ${formatValue(v)}`,
};

function short(text: string): string {
  return text.length <= maxPieceLength ? text : `${text.slice(0, maxPieceLength - 1)}…`;
}

function piecesOf(spec: LayerSpec, args: ResolvedArgs, inner?: { readonly spec: LayerSpec; readonly args: ResolvedArgs }): string[] {
  const given = args.values;
  const result: string[] = [];
  for (const arg of spec.args) {
    const value = given.get(arg.name);
    if (!value || value.kind === 'error' || hidden.has(arg.name) || hiddenSuffixes.some((s) => arg.name.endsWith(s))) continue;
    if (arg.type.kind === 'layer') {
      if (inner) result.push(inner.spec.name, ...piecesOf(inner.spec, inner.args));
      continue;
    }
    const format = pieces[arg.name];
    const text = format ? format(value) : `${arg.name}=${formatValue(value)}`;
    if (text !== undefined) result.push(short(text));
  }
  return result;
}

/** The key arguments of a layer, as short pieces to join with ` · `. */
export function keyArguments(spec: LayerSpec, args: ResolvedArgs, inner?: { readonly spec: LayerSpec; readonly args: ResolvedArgs }): string[] {
  return piecesOf(spec, args, inner).slice(0, maxPieces);
}
