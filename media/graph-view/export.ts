import { utf8ToBase64 } from '../view/export.js';

/** Canvas sides browsers draw reliably; a taller graph is drawn smaller to fit. */
const maxSide = 16_384;

/** Rasterises an SVG document to PNG (base64): twice its size, or as large as fits in `maxSide`. */
export async function svgToPng(svgText: string): Promise<string> {
  const image = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('the SVG could not be drawn'));
  });
  image.src = `data:image/svg+xml;base64,${utf8ToBase64(svgText)}`;
  await loaded;
  const scale = Math.min(2, maxSide / Math.max(1, image.naturalWidth), maxSide / Math.max(1, image.naturalHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
  canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2D canvas');
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}
