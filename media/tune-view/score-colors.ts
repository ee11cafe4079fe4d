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

/** OKLCH (lightness 0..1, chroma, hue in degrees) as an sRGB colour, each channel clipped to 0..255. */
function oklchToRgb(lightness: number, chroma: number, hue: number): Rgb {
  const h = (hue * Math.PI) / 180;
  const a = chroma * Math.cos(h);
  const b = chroma * Math.sin(h);
  const l = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (lightness - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const linear = [4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s, -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s, -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s];
  const gamma = (c: number) => Math.round(255 * Math.min(1, Math.max(0, c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055)));
  return [gamma(linear[0] ?? 0), gamma(linear[1] ?? 0), gamma(linear[2] ?? 0)];
}

const relativeLuminance = ([r, g, b]: Rgb): number => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

/**
 * One colour per trial, as far apart as `count` allows. Up to the theme's six
 * series colours those; beyond, hues evenly around the OKLCH circle on two or
 * more lightness rings (each ring's hues offset by half a step from the last),
 * at lightnesses that stand out against the theme's background. Consecutive
 * trials fall on different rings, so neighbours in the legend differ in
 * lightness as well as hue.
 */
export function trialColors(count: number, palette: Palette): string[] {
  if (count <= palette.series.length) return palette.series.slice(0, count);
  const dark = relativeLuminance(rgbOf(palette.background) ?? [255, 255, 255]) < 0.5;
  const rings = Math.max(2, Math.ceil(count / 10));
  const perRing = Math.ceil(count / rings);
  // Lightness from the background outwards: dark themes get the lighter colours.
  const [near, far] = dark ? [0.86, 0.62] : [0.45, 0.7];
  const chroma = 0.14;
  return Array.from({ length: count }, (_, i) => {
    const ring = i % rings;
    const step = Math.floor(i / rings);
    const lightness = rings === 1 ? near : near + ((far - near) * ring) / (rings - 1);
    const hue = 25 + (360 * (step + ring / rings)) / perRing;
    const [r, g, b] = oklchToRgb(lightness, chroma, hue);
    return `rgb(${r}, ${g}, ${b})`;
  });
}
