/** Zoom and pan: a graph point (x, y) is drawn at (x · scale + x0, y · scale + y0) in the view. */

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface ViewportState {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export const minScale = 0.05;
export const maxScale = 4;

const clampScale = (scale: number): number => Math.min(maxScale, Math.max(minScale, scale));

export class Viewport {
  scale = 1;
  x = 0;
  y = 0;

  state(): ViewportState {
    return { scale: this.scale, x: this.x, y: this.y };
  }

  restore(state: ViewportState): void {
    this.scale = clampScale(state.scale);
    this.x = state.x;
    this.y = state.y;
  }

  /** The view point of a graph point. */
  toView(x: number, y: number): { x: number; y: number } {
    return { x: x * this.scale + this.x, y: y * this.scale + this.y };
  }

  /** The graph point under a view point. */
  toGraph(x: number, y: number): { x: number; y: number } {
    return { x: (x - this.x) / this.scale, y: (y - this.y) / this.scale };
  }

  /** The part of the graph a view of this size shows. */
  visible(width: number, height: number): Rect {
    const topLeft = this.toGraph(0, 0);
    return { x: topLeft.x, y: topLeft.y, width: width / this.scale, height: height / this.scale };
  }

  /** Zooms by `factor`, keeping the graph point under the view point (x, y) where it is. */
  zoomAt(factor: number, x: number, y: number): void {
    const scale = clampScale(this.scale * factor);
    const anchor = this.toGraph(x, y);
    this.scale = scale;
    this.x = x - anchor.x * scale;
    this.y = y - anchor.y * scale;
  }

  panBy(dx: number, dy: number): void {
    this.x += dx;
    this.y += dy;
  }

  /** The whole of `bounds` in a view of this size, centred across, from `top` down; never larger than life (a small model is not blown up). */
  fit(bounds: Rect, width: number, height: number, top = 24, margin = 24): void {
    const scale = clampScale(Math.min(1, (width - 2 * margin) / Math.max(1, bounds.width), (height - top - margin) / Math.max(1, bounds.height)));
    this.scale = scale;
    this.x = (width - bounds.width * scale) / 2 - bounds.x * scale;
    this.y = top - bounds.y * scale;
  }

  /** Pans so that graph point (x, y) is at view point (vx, vy). */
  place(x: number, y: number, vx: number, vy: number): void {
    this.x = vx - x * this.scale;
    this.y = vy - y * this.scale;
  }

  transform(): string {
    return `translate(${this.x.toFixed(2)},${this.y.toFixed(2)}) scale(${this.scale.toFixed(4)})`;
  }
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x <= b.x + b.width && b.x <= a.x + a.width && a.y <= b.y + b.height && b.y <= a.y + a.height;
}
