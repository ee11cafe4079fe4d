import type { RunRecord } from '../../language-server/src/protocol/views.js';

/** File contents for the exports; handing them to the user is the host's job. */

export const historyColumns = ['epoch', 'loss', 'accuracy', 'val_loss', 'val_accuracy', 'learning_rate', 'seconds'] as const;

export function historyCsv(record: RunRecord): string {
  const cell = (value: number) => (Number.isFinite(value) ? String(value) : '');
  const rows = record.history.map((logs) => historyColumns.map((column) => cell(logs[column])).join(','));
  return [historyColumns.join(','), ...rows].join('\n') + '\n';
}

export function recordJson(record: RunRecord): string {
  return JSON.stringify(record, null, 1) + '\n';
}

/** A name a host accepts (protocol/views.ts allows word characters, dots, parentheses, spaces and dashes). */
export function fileBase(base: string): string {
  return base.replace(/[^\w.() -]+/g, '_').slice(0, 100) || 'export';
}

const inlinedProperties = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity', 'font-size', 'font-family', 'font-weight'] as const;

/**
 * A standalone SVG document of an SVG element in the page: the colours come from
 * CSS variables there, so the computed values are written as presentation attributes.
 */
export function serializeSvg(source: SVGSVGElement, background: string): string {
  const clone = source.cloneNode(true) as SVGSVGElement;
  const originals = [source, ...source.querySelectorAll('*')];
  const copies = [clone, ...clone.querySelectorAll('*')];
  originals.forEach((original, i) => {
    const copy = copies[i];
    if (!copy) return;
    const style = getComputedStyle(original);
    for (const property of inlinedProperties) {
      const value = style.getPropertyValue(property);
      if (value && value !== 'none' && !(property === 'stroke-dasharray' && value === 'none')) copy.setAttribute(property, value);
      else if (property === 'fill' || property === 'stroke') copy.setAttribute(property, value || 'none');
    }
    copy.removeAttribute('class');
    copy.removeAttribute('tabindex');
  });
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const box = source.viewBox.baseVal;
  const width = box && box.width ? box.width : source.clientWidth;
  const height = box && box.height ? box.height : source.clientHeight;
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  const backdrop = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  backdrop.setAttribute('width', '100%');
  backdrop.setAttribute('height', '100%');
  backdrop.setAttribute('fill', background);
  clone.insertBefore(backdrop, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

/** Rasterises an SVG document to PNG (base64) at twice its size. */
export async function svgToPng(svgText: string, scale = 2): Promise<string> {
  const image = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('the SVG could not be drawn'));
  });
  image.src = `data:image/svg+xml;base64,${utf8ToBase64(svgText)}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
  canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

export function utf8ToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
