import type { Gallery, GallerySample } from '../../language-server/src/protocol/views.js';
import { el } from './dom.js';
import { formatInteger, formatPercent } from './format.js';
import type { MatrixCell } from './state.js';

export interface GalleryInput {
  readonly gallery: Gallery | undefined;
  /** Why there is no gallery, when there is none. */
  readonly missingReason: string;
  readonly cell: MatrixCell | undefined;
  readonly classNames: readonly string[];
  readonly count: number;
}

/** The test images of the selected confusion-matrix cell, drawn from their raw pixels. */
export class GalleryPanel {
  readonly root = el('section', { className: 'gallery', attrs: { 'aria-live': 'polite', 'aria-label': 'Test images of the selected cell' } });

  render(input: GalleryInput): void {
    const { gallery, cell, classNames } = input;
    const name = (i: number) => classNames[i] ?? String(i);
    if (!cell) {
      this.root.replaceChildren(el('p', { className: 'empty', text: 'Select a cell of the matrix to see its test images.' }));
      return;
    }
    const heading = el('h3', { text: `True ${name(cell.trueClass)}, predicted ${name(cell.predictedClass)}` });
    if (!gallery) {
      this.root.replaceChildren(heading, el('p', { className: 'empty', text: input.missingReason }));
      return;
    }
    const found = gallery.cells.find((c) => c.trueClass === cell.trueClass && c.predictedClass === cell.predictedClass);
    if (!found || found.samples.length === 0) {
      this.root.replaceChildren(heading, el('p', { className: 'empty', text: input.count > 0 ? 'The run saved no images of this cell.' : 'No test image falls in this cell.' }));
      return;
    }
    const note = el('p', { className: 'note', text: `${formatInteger(found.samples.length)} of ${formatInteger(found.count)} images, least confident first.` });
    const items = found.samples.map((sample) => this.tile(gallery, sample, name(found.trueClass), name(found.predictedClass)));
    this.root.replaceChildren(heading, note, el('ul', { className: 'gallery-grid' }, items));
  }

  private tile(gallery: Gallery, sample: GallerySample, trueName: string, predictedName: string): HTMLLIElement {
    const canvas = el('canvas', { className: 'sample', attrs: { role: 'img', 'aria-label': `test image ${sample.index}: true ${trueName}, predicted ${predictedName} with ${formatPercent(sample.confidence)} confidence` } });
    drawPixels(canvas, gallery, sample.pixels);
    return el('li', { className: 'gallery-item' }, [
      canvas,
      el('span', { className: 'sample-label', text: `#${sample.index}` }),
      el('span', { className: 'sample-true', text: `true: ${trueName}` }),
      el('span', { className: 'sample-predicted', text: `predicted: ${predictedName}` }),
      el('span', { className: 'sample-confidence', text: `confidence ${formatPercent(sample.confidence)}` }),
    ]);
  }
}

/** Base64 pixels (1 or 3 bytes per pixel, row-major) onto a canvas of the image's size. */
export function drawPixels(canvas: HTMLCanvasElement, gallery: Gallery, base64: string): void {
  const { width, height, channels } = gallery;
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const raw = atob(base64);
  const image = ctx.createImageData(width, height);
  const rgba = image.data;
  for (let i = 0; i < width * height; i++) {
    const o = i * 4;
    if (channels === 3) {
      rgba[o] = raw.charCodeAt(i * 3);
      rgba[o + 1] = raw.charCodeAt(i * 3 + 1);
      rgba[o + 2] = raw.charCodeAt(i * 3 + 2);
    } else {
      const v = raw.charCodeAt(i);
      rgba[o] = rgba[o + 1] = rgba[o + 2] = v;
    }
    rgba[o + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}
