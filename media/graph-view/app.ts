import {
  defaultFolds,
  graphSvg,
  maxLaidOutBoxes,
  isHostToGraphView,
  layoutGraph,
  totalsLines,
  visibleGraph,
  type GraphLayout,
  type GraphPalette,
  type GraphPosition,
  type HostToGraphView,
  type ModelGraph,
  type PlacedItem,
  type SizeBy,
} from '../../language-server/src/protocol/graph.js';
import { button, el } from '../view/dom.js';
import { fileBase } from '../view/export.js';
import { layoutEngine } from './elk.js';
import { svgToPng } from './export.js';
import type { GraphHost } from './host.js';
import { Scene } from './scene.js';
import { readGraphPalette, watchTheme } from './theme.js';
import { blockIn, boxesAt, lookedAt, standIn } from './focus.js';
import { listenForPointer } from './input.js';
import { intersects, Viewport, type ViewportState } from './viewport.js';

/** What the view keeps across reloads (webview state). */
interface SavedState {
  /** The .model file's URI and the model shown: what the host reopens after a reload. */
  readonly file?: string;
  readonly model?: string;
  readonly sizeBy?: SizeBy;
  readonly folded?: readonly string[];
  readonly viewport?: ViewportState;
}

/** What tests and the benchmark read through `window.__layerlabGraphView`. */
export interface GraphViewDebug {
  /** Waits for the layout in progress, draws, and returns the number of boxes in the page. */
  renderNow(): Promise<number>;
  drawnIds(): string[];
  highlighted(): string[];
  viewport(): ViewportState;
  /** Milliseconds of the last layout (ELK) and of the last drawing (markup into the page). */
  timings(): { readonly layout: number; readonly draw: number };
  counts(): { readonly items: number; readonly edges: number; readonly frames: number; readonly width: number; readonly height: number };
  /** A box's place in the page, for clicking it. */
  boxOf(id: string): { x: number; y: number; width: number; height: number } | null;
  invalidMessages(): number;
}

const sizeLabels: Record<SizeBy, string> = { none: 'Plain', params: 'Parameters', memory: 'Activation memory' };
const panStep = 80;
const zoomStep = 1.25;

/**
 * The graph view: asks nothing, shows what the host sends. Each graph is folded (large
 * models), laid out with ELK in this page, and drawn virtualised; zoom and pan stay where
 * they were from one edit to the next, anchored on the box the user was looking at.
 */
export class GraphView {
  private graph: ModelGraph | null = null;
  private models: readonly string[] = [];
  private file = '';
  private problem: string | undefined;
  private layout: GraphLayout | undefined;
  private palette: GraphPalette = readGraphPalette();
  private sizeBy: SizeBy;
  private folded: Set<string>;
  private readonly viewport = new Viewport();
  private cursor: GraphPosition | null = null;
  private highlightedIds: string[] = [];
  private invalid = 0;
  private layoutMs = 0;
  private drawMs = 0;
  /** The layout in progress; a newer request waits for it and runs once with the latest graph. */
  private running: Promise<void> = Promise.resolve();
  private stale = false;
  private placedFor: string | undefined;
  private revealAfterLayout = false;
  /** The box (or block) the next layout keeps in place: the block just folded or unfolded. */
  private anchorHint: string | undefined;
  private frame: number | undefined;

  private readonly scene = new Scene();
  private readonly canvas = el('div', { className: 'canvas', attrs: { tabindex: '0', role: 'application', 'aria-label': 'Model graph: drag, wheel or arrow keys to pan, Home and End for the top and bottom, Ctrl+wheel or + and − to zoom, 0 to fit; Tab moves through the boxes, Enter shows a box in the source' } });
  private readonly totals = el('div', { className: 'totals', attrs: { 'aria-live': 'polite' } });
  private readonly status = el('div', { className: 'status' });
  private readonly modelPicker = el('select', { attrs: { 'aria-label': 'Model' } });
  private readonly sizePicker = el('select', { attrs: { 'aria-label': 'Box width and colour' } });
  private readonly legend = el('div', { className: 'legend' });

  constructor(
    private readonly root: HTMLElement,
    private readonly host: GraphHost,
  ) {
    const saved = (host.loadState() ?? {}) as SavedState;
    this.sizeBy = saved.sizeBy === 'params' || saved.sizeBy === 'memory' ? saved.sizeBy : 'none';
    this.folded = new Set(Array.isArray(saved.folded) ? saved.folded.filter((f): f is string => typeof f === 'string') : []);
    if (saved.viewport && typeof saved.viewport.scale === 'number') {
      this.viewport.restore(saved.viewport);
      this.placedFor = saved.model;
    }
    this.build();
  }

  start(): void {
    this.host.start((message) => this.receive(message));
    watchTheme(() => {
      this.palette = readGraphPalette();
      if (this.layout) this.scene.show(this.layout, this.palette);
      this.scene.mark(this.highlightedIds);
      this.drawSoon();
    });
    new ResizeObserver(() => this.drawSoon()).observe(this.canvas);
  }

  debug(): GraphViewDebug {
    return {
      renderNow: async () => {
        do await this.running;
        while (this.stale);
        return this.drawNow();
      },
      drawnIds: () => this.scene.drawnIds(),
      highlighted: () => [...this.highlightedIds],
      viewport: () => this.viewport.state(),
      timings: () => ({ layout: this.layoutMs, draw: this.drawMs }),
      counts: () => ({ items: this.layout?.items.length ?? 0, edges: this.layout?.edges.length ?? 0, frames: this.layout?.frames.length ?? 0, width: this.layout?.width ?? 0, height: this.layout?.height ?? 0 }),
      boxOf: (id) => {
        const item = this.scene.itemAt(id);
        if (!item) return null;
        const topLeft = this.viewport.toView(item.x + (item.width - item.boxWidth) / 2, item.y);
        const origin = this.canvas.getBoundingClientRect();
        return { x: origin.left + topLeft.x, y: origin.top + topLeft.y, width: item.boxWidth * this.viewport.scale, height: item.boxHeight * this.viewport.scale };
      },
      invalidMessages: () => this.invalid,
    };
  }

  private build(): void {
    for (const size of ['none', 'params', 'memory'] as const) this.sizePicker.append(el('option', { text: sizeLabels[size], attrs: { value: size } }));
    this.sizePicker.value = this.sizeBy;
    this.sizePicker.addEventListener('change', () => {
      this.sizeBy = this.sizePicker.value as SizeBy;
      this.save();
      this.relayout();
    });
    this.modelPicker.addEventListener('change', () => this.host.post({ type: 'show-model', model: this.modelPicker.value }));
    const zoom = (factor: number) => () => this.zoomAtCentre(factor);
    const toolbar = el('div', { className: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Graph' } }, [
      this.modelPicker,
      button('Fit', () => this.fit(), 'secondary'),
      button('−', zoom(1 / zoomStep), 'secondary icon'),
      button('+', zoom(zoomStep), 'secondary icon'),
      el('label', { className: 'size-by' }, [el('span', { text: 'Size by' }), this.sizePicker]),
      button('Fold repeats', () => this.foldAll(true), 'secondary'),
      button('Unfold all', () => this.foldAll(false), 'secondary'),
      button('Export SVG', () => this.exportSvg(), 'secondary'),
      button('Export PNG', () => void this.exportPng(), 'secondary'),
    ]);
    for (const b of toolbar.querySelectorAll('button.icon')) b.setAttribute('aria-label', b.textContent === '+' ? 'Zoom in' : 'Zoom out');
    this.canvas.append(this.scene.svg, this.totals, this.legend, this.status);
    this.root.append(el('div', { className: 'graph-view' }, [toolbar, this.canvas]));
    this.listen();
  }

  private listen(): void {
    listenForPointer(this.canvas, this.viewport, () => this.viewChanged(), (target) => this.clicked(target));
    this.canvas.addEventListener('keydown', (event) => this.key(event));
  }

  private key(event: KeyboardEvent): void {
    const target = event.target instanceof Element ? event.target : undefined;
    const control = target?.closest('.node, .frame-heading');
    if ((event.key === 'Enter' || event.key === ' ') && control) {
      event.preventDefault();
      this.clicked(control);
      return;
    }
    const step = event.shiftKey ? panStep * 4 : panStep;
    const actions: Record<string, () => void> = {
      '+': () => this.zoomAtCentre(zoomStep),
      '=': () => this.zoomAtCentre(zoomStep),
      '-': () => this.zoomAtCentre(1 / zoomStep),
      '0': () => this.fit(),
      ArrowLeft: () => this.viewport.panBy(step, 0),
      ArrowRight: () => this.viewport.panBy(-step, 0),
      ArrowUp: () => this.viewport.panBy(0, step),
      ArrowDown: () => this.viewport.panBy(0, -step),
      Home: () => this.top(),
      End: () => this.bottom(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
    this.viewChanged();
  }

  /** A click on a box shows its statement in the source; on a folded block it also unfolds it; on a frame's heading it folds it. */
  private clicked(target: EventTarget | null): void {
    if (!(target instanceof Element) || !this.graph) return;
    const box = target.closest('.node');
    const frame = target.closest('.frame');
    if (box) {
      const id = box.getAttribute('data-id') ?? '';
      const item = this.scene.itemAt(id);
      if (!item) return;
      if (item.item.kind === 'folded') {
        this.anchorHint = item.item.group.id;
        this.folded.delete(item.item.group.id);
        this.save();
        this.relayout();
        this.host.post({ type: 'reveal', range: item.item.group.range });
        return;
      }
      this.host.post({ type: 'reveal', range: item.item.node.range });
      return;
    }
    if (frame && target.closest('.frame-heading')) {
      const id = frame.getAttribute('data-group') ?? '';
      this.anchorHint = id;
      this.folded.add(id);
      this.save();
      this.relayout();
    }
  }

  private receive(message: unknown): void {
    if (!isHostToGraphView(message)) {
      this.invalid++;
      console.warn('Layerlab: ignored an invalid message from the host', message);
      return;
    }
    this.apply(message);
  }

  private apply(message: HostToGraphView): void {
    if (message.type === 'cursor') {
      this.cursor = message.position;
      // Before the first layout (or during one), the boxes are brought into view once it is done.
      if (!this.layout) this.revealAfterLayout = true;
      this.highlight(true);
      return;
    }
    const modelChanged = message.graph?.model !== this.graph?.model || message.file !== this.file;
    this.graph = message.graph;
    this.models = message.models;
    this.file = message.file;
    this.problem = message.problem;
    this.fillModelPicker();
    if (this.graph && modelChanged && this.placedFor !== this.graph.model) this.folded = defaultFolds(this.graph);
    else if (this.graph) {
      const ids = new Set(this.graph.groups.map((g) => g.id));
      this.folded = new Set([...this.folded].filter((id) => ids.has(id)));
    }
    this.relayout();
  }

  private fillModelPicker(): void {
    const current = this.graph?.model ?? '';
    this.modelPicker.replaceChildren(...this.models.map((m) => el('option', { text: m, attrs: { value: m } })));
    this.modelPicker.value = current;
    this.modelPicker.hidden = this.models.length < 2;
  }

  /** Lays the graph out again (a new graph, folds or sizing); runs one at a time, the latest request last. */
  private relayout(): void {
    this.stale = true;
    this.running = this.running
      .then(async () => {
        if (!this.stale) return;
        this.stale = false;
        await this.layOut();
      })
      // A failure is said, and the next graph is laid out as usual.
      .catch((error: unknown) => this.setStatus(`The graph could not be drawn: ${error instanceof Error ? error.message : String(error)}`));
  }

  private async layOut(): Promise<void> {
    const graph = this.graph;
    this.renderTotals();
    if (!graph) {
      this.clear(this.problem ?? 'No model to draw.');
      return;
    }
    const anchor = this.anchor();
    const visible = visibleGraph(graph, this.folded);
    if (visible.items.length > maxLaidOutBoxes) {
      this.clear(`${visible.items.length.toLocaleString('en-US')} boxes are more than the ${maxLaidOutBoxes.toLocaleString('en-US')} this view lays out: fold repeat blocks (Fold repeats), or write the repeated layers in a repeat block.`);
      return;
    }
    this.setStatus(graph.nodes.length > 150 ? 'Laying out…' : '');
    const started = performance.now();
    let layout: GraphLayout;
    try {
      layout = await layoutGraph(layoutEngine, graph, visible, this.sizeBy);
    } catch (error) {
      this.setStatus(`The layout failed: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.layoutMs = performance.now() - started;
    if (this.graph !== graph && this.stale) return;
    this.layout = layout;
    this.scene.show(layout, this.palette);
    this.setStatus('');
    if (this.placedFor !== graph.model) {
      this.placedFor = graph.model;
      this.firstView();
    } else if (anchor) {
      const id = standIn(graph, layout, anchor.id);
      const item = layout.items.find((i) => i.item.id === id);
      if (item) this.viewport.place(item.x + item.width / 2, item.y, anchor.x, anchor.y);
    }
    this.renderLegend();
    this.highlight(this.revealAfterLayout);
    this.revealAfterLayout = false;
    this.save();
    this.drawNow();
  }

  /** No drawing, and why. */
  private clear(why: string): void {
    this.layout = undefined;
    this.scene.show({ width: 0, height: 0, items: [], frames: [], edges: [], sizeBy: this.sizeBy }, this.palette);
    this.setStatus(why);
    this.drawNow();
  }

  /** The box to keep in place across the next layout (the block just folded or unfolded, else the one looked at), and where it is in the view. */
  private anchor(): { id: string; x: number; y: number } | undefined {
    const layout = this.layout;
    const hint = this.anchorHint;
    this.anchorHint = undefined;
    if (!layout || !layout.items.length || !this.graph) return undefined;
    const hinted = hint === undefined ? undefined : layout.items.find((i) => i.item.id === standIn(this.graph as ModelGraph, layout, hint));
    const { width, height } = this.size();
    const item = hinted ?? lookedAt(layout, this.viewport.visible(width, height), this.highlightedIds);
    if (!item) return undefined;
    const at = this.viewport.toView(item.x + item.width / 2, item.y);
    return { id: hinted && hint !== undefined ? hint : item.item.id, x: at.x, y: at.y };
  }

  /** A new model: the whole of it when it is readable so, else its top at full size (or as wide as the view). */
  private firstView(): void {
    const layout = this.layout;
    if (!layout) return;
    const { width, height } = this.size();
    const bounds = { x: 0, y: 0, width: layout.width, height: layout.height };
    this.viewport.fit(bounds, width, height, this.topInset());
    if (this.viewport.scale < 0.6) this.top();
  }

  /** Room at the top for the totals box, so that the first boxes are not under it. */
  private topInset(): number {
    return this.totals.hidden ? 16 : this.totals.offsetTop + this.totals.offsetHeight + 12;
  }

  private top(): void {
    const layout = this.layout;
    if (!layout) return;
    const { width } = this.size();
    const scale = Math.max(0.6, Math.min(1, (width - 48) / Math.max(1, layout.width)));
    this.viewport.restore({ scale, x: (width - layout.width * scale) / 2, y: this.topInset() });
  }

  private bottom(): void {
    const layout = this.layout;
    if (!layout) return;
    const { height } = this.size();
    this.viewport.restore({ scale: this.viewport.scale, x: this.viewport.x, y: height - 16 - layout.height * this.viewport.scale });
  }

  private fit(): void {
    const layout = this.layout;
    if (!layout) return;
    const { width, height } = this.size();
    this.viewport.fit({ x: 0, y: 0, width: layout.width, height: layout.height }, width, height, this.topInset());
    this.viewChanged();
  }

  private zoomAtCentre(factor: number): void {
    const { width, height } = this.size();
    this.viewport.zoomAt(factor, width / 2, height / 2);
    this.viewChanged();
  }

  private foldAll(fold: boolean): void {
    if (!this.graph) return;
    this.anchorHint = this.blockInView();
    this.folded = fold ? new Set(this.graph.groups.filter((g) => g.parent === undefined).map((g) => g.id)) : new Set();
    this.save();
    this.relayout();
  }

  /** The top-most `repeat` block in view, folded or not: what Fold repeats and Unfold all keep in place. */
  private blockInView(): string | undefined {
    const { width, height } = this.size();
    return this.layout && blockIn(this.layout, this.viewport.visible(width, height));
  }

  /** Rings the boxes of the statement at the cursor; with `reveal`, pans to them when none is in view and the statement is a new one. */
  private highlight(reveal: boolean): void {
    const layout = this.layout;
    const cursor = this.cursor;
    const ids = layout && cursor ? boxesAt(layout, cursor) : [];
    const changed = ids.join('\n') !== this.highlightedIds.join('\n');
    this.highlightedIds = ids;
    this.scene.mark(ids);
    if (!reveal || !changed || !ids.length || !layout) return;
    const { width, height } = this.size();
    const visible = this.viewport.visible(width, height);
    const items = ids.map((id) => this.scene.itemAt(id)).filter((i): i is PlacedItem => i !== undefined);
    if (items.some((i) => intersects(i, visible))) return;
    const first = items.sort((a, b) => a.y - b.y)[0];
    if (!first) return;
    this.viewport.place(first.x + first.width / 2, first.y + first.height / 2, width / 2, height / 2);
    this.viewChanged();
  }

  private size(): { width: number; height: number } {
    const box = this.canvas.getBoundingClientRect();
    return { width: Math.max(1, box.width), height: Math.max(1, box.height) };
  }

  private viewChanged(): void {
    this.drawSoon();
    this.saveSoon();
  }

  private drawSoon(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      this.drawNow();
    });
  }

  private drawNow(): number {
    const started = performance.now();
    const { width, height } = this.size();
    this.scene.setTransform(this.viewport.transform());
    const drawn = this.scene.draw(this.viewport.visible(width, height));
    this.drawMs = performance.now() - started;
    return drawn;
  }

  private renderTotals(): void {
    const graph = this.graph;
    this.totals.replaceChildren();
    this.totals.hidden = !graph;
    if (!graph) return;
    totalsLines(graph).forEach((line, i) => this.totals.append(el(i === 0 ? 'strong' : 'div', { text: line, className: i === 3 ? 'error' : '' })));
  }

  private renderLegend(): void {
    const layout = this.layout;
    this.legend.hidden = this.sizeBy === 'none' || !layout;
    if (!layout || this.sizeBy === 'none') return;
    const largest = layout.items.reduce((best, i) => (i.value > (best?.value ?? 0) ? i : best), undefined as PlacedItem | undefined);
    const what = this.sizeBy === 'params' ? 'parameters' : 'activation memory per sample';
    const value = largest ? (this.sizeBy === 'params' ? `${largest.value.toLocaleString('en-US')} params` : `${(largest.value / 1024).toLocaleString('en-US', { maximumFractionDigits: 1 })} KB`) : '';
    this.legend.textContent = `Bars and colour: ${what} (square-root scale); the widest, ${largest?.item.id ?? ''}: ${value}`;
  }

  private setStatus(text: string): void {
    this.status.textContent = text;
    this.status.hidden = text === '';
  }

  private saveTimer: ReturnType<typeof setTimeout> | undefined;

  private saveSoon(): void {
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => this.save(), 250);
  }

  private save(): void {
    const state: SavedState = { file: this.file, sizeBy: this.sizeBy, folded: [...this.folded], viewport: this.viewport.state(), ...(this.graph ? { model: this.graph.model } : {}) };
    this.host.saveState(state);
  }

  private exportName(extension: string): string {
    return `${fileBase(`${this.graph?.model ?? 'model'} graph`)}.${extension}`;
  }

  private exportSvg(): void {
    if (!this.graph || !this.layout) return;
    this.host.post({ type: 'export', fileName: this.exportName('svg'), data: graphSvg(this.graph, this.layout, this.palette), encoding: 'utf8' });
  }

  private async exportPng(): Promise<void> {
    if (!this.graph || !this.layout) return;
    try {
      const png = await svgToPng(graphSvg(this.graph, this.layout, this.palette));
      this.host.post({ type: 'export', fileName: this.exportName('png'), data: png, encoding: 'base64' });
    } catch (error) {
      this.setStatus(`The PNG could not be made: ${error instanceof Error ? error.message : String(error)}; Export SVG works.`);
    }
  }
}

