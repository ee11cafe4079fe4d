/** Number and size formatting shared by the summary, hovers, hints and code lenses. */

export function withCommas(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Keras `readable_memory_size`: 1024-based units with two decimals. */
export function readableBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} EB`;
}

/** 1.2K, 3.4M, 5.6G: compact counts for hints and lenses. */
export function compact(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [scale, unit] of units) {
    if (abs >= scale) {
      const value = n / scale;
      return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)}${unit}`.replace(/\.0+([A-Z])$/, '$1').replace(/(\.\d*?)0+([A-Z])$/, '$1$2');
    }
  }
  return String(n);
}

/** `(None, 26, 26, 32)` as Keras prints output shapes. */
export function kerasShape(shape: readonly (number | null)[]): string {
  return `(None, ${shape.map((d) => (d === null ? 'None' : String(d))).join(', ')})`;
}

/** `26×26×32` as the inlay hints show shapes. */
export function compactShape(shape: readonly (number | null)[]): string {
  return shape.length === 0 ? 'scalar' : shape.map((d) => (d === null ? '?' : String(d))).join('×');
}
