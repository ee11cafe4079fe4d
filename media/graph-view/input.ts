import type { Viewport } from './viewport.js';

/**
 * Mouse and trackpad on the drawing: drag or wheel to pan, Ctrl (or ⌘) + wheel, and pinch,
 * to zoom about the pointer. A press that moves less than a few pixels is a click.
 */
export function listenForPointer(canvas: HTMLElement, viewport: Viewport, changed: () => void, click: (target: EventTarget | null) => void): void {
  canvas.addEventListener(
    'wheel',
    (event) => {
      event.preventDefault();
      const origin = canvas.getBoundingClientRect();
      if (event.ctrlKey || event.metaKey) viewport.zoomAt(Math.exp(-event.deltaY * 0.002), event.clientX - origin.left, event.clientY - origin.top);
      else viewport.panBy(-event.deltaX, -event.deltaY);
      changed();
    },
    { passive: false },
  );
  let drag: { x: number; y: number; moved: boolean } | undefined;
  canvas.addEventListener('pointerdown', (event) => {
    if (event.button === 0) drag = { x: event.clientX, y: event.clientY, moved: false };
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!drag) return;
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (!drag.moved && Math.hypot(dx, dy) < 4) return;
    if (!drag.moved) canvas.setPointerCapture(event.pointerId);
    drag = { x: event.clientX, y: event.clientY, moved: true };
    canvas.classList.add('panning');
    viewport.panBy(dx, dy);
    changed();
  });
  canvas.addEventListener('pointerup', (event) => {
    const wasDrag = drag?.moved ?? false;
    drag = undefined;
    canvas.classList.remove('panning');
    if (!wasDrag) click(event.target);
  });
}
