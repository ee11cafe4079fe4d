import type { Palette } from '../view/theme.js';

type Rgb = readonly [number, number, number];

let probe: CanvasRenderingContext2D | null | undefined;

/** Any CSS colour (a theme variable's value) as RGB, through a canvas that normalises it. */
function rgbOf(color: string): Rgb | undefined {
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return undefined;
  probe.fillStyle = '#000000';
  probe.fillStyle = color;
  const normal = String(probe.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(normal);
  if (hex) return [parseInt(hex[1] ?? '0', 16), parseInt(hex[2] ?? '0', 16), parseInt(hex[3] ?? '0', 16)];
  const rgba = /^rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(normal);
  return rgba ? [Number(rgba[1]), Number(rgba[2]), Number(rgba[3])] : undefined;
}

/**
 * Colours for scores: the theme's orange for the worst trial through to its blue
 * for the best (a pair that colour-blind readers tell apart).
 */
export class ScoreColors {
  private readonly worst: Rgb;
  private readonly best: Rgb;

  constructor(palette: Palette) {
    this.worst = rgbOf(palette.series[1] ?? palette.muted) ?? [232, 113, 10];
    this.best = rgbOf(palette.series[0] ?? palette.foreground) ?? [26, 115, 232];
  }

  /** `quality`: 0 for the worst score, 1 for the best. */
  at(quality: number): string {
    const t = Math.min(1, Math.max(0, Number.isFinite(quality) ? quality : 0));
    const channel = (i: 0 | 1 | 2) => Math.round(this.worst[i] + (this.best[i] - this.worst[i]) * t);
    return `rgb(${channel(0)}, ${channel(1)}, ${channel(2)})`;
  }
}

/** Quality of each score in 0..1 (1 the best) for the objective's direction. */
export function qualityOf(score: number, range: { readonly min: number; readonly max: number }, direction: 'min' | 'max'): number {
  if (range.max <= range.min) return 1;
  const t = (score - range.min) / (range.max - range.min);
  return direction === 'min' ? 1 - t : t;
}
