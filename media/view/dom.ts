/** Small DOM builders, so panels read as structure rather than createElement calls. */

type Child = Node | string | null | undefined | false;

export interface ElementProps {
  readonly className?: string;
  readonly text?: string;
  readonly attrs?: Readonly<Record<string, string>>;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: ElementProps = {}, children: readonly Child[] = []): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  append(element, children);
  return element;
}

const svgNamespace = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Readonly<Record<string, string | number>> = {}, children: readonly Child[] = []): SVGElementTagNameMap[K] {
  const element = document.createElementNS(svgNamespace, tag);
  for (const [name, value] of Object.entries(attrs)) element.setAttribute(name, String(value));
  append(element, children);
  return element;
}

function append(parent: Element, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child);
  }
}

export function button(label: string, onClick: () => void, className = ''): HTMLButtonElement {
  const b = el('button', { className, text: label, attrs: { type: 'button' } });
  b.addEventListener('click', onClick);
  return b;
}

export interface TableContent {
  readonly caption: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * A "Table" disclosure whose table is built only while it is open: live charts
 * change every epoch, and a closed table should cost nothing.
 */
export class LazyTable {
  readonly root: HTMLDetailsElement;
  private content: () => TableContent = () => ({ caption: '', header: [], rows: [] });
  private stale = true;

  constructor() {
    this.root = el('details', { className: 'table-alternative' }, [el('summary', { text: 'Table' })]);
    this.root.addEventListener('toggle', () => this.fillIfOpen());
  }

  set(content: () => TableContent): void {
    this.content = content;
    this.stale = true;
    this.fillIfOpen();
  }

  private fillIfOpen(): void {
    if (!this.root.open || !this.stale) return;
    this.stale = false;
    const { caption, header, rows } = this.content();
    this.root.querySelector('table')?.remove();
    this.root.append(dataTable(caption, header, rows));
  }
}

function dataTable(caption: string, header: readonly string[], rows: readonly (readonly string[])[]): HTMLTableElement {
  return el('table', { className: 'data-table' }, [
    el('caption', { text: caption }),
    el('thead', {}, [el('tr', {}, header.map((h) => el('th', { text: h, attrs: { scope: 'col' } })))]),
    el('tbody', {}, rows.map((row) => el('tr', {}, row.map((cell, i) => (i === 0 ? el('th', { text: cell, attrs: { scope: 'row' } }) : el('td', { text: cell })))))),
  ]);
}

/** A table under a collapsed "Table" disclosure: the text alternative of a chart. */
export function tableAlternative(caption: string, header: readonly string[], rows: readonly (readonly string[])[]): HTMLDetailsElement {
  return el('details', { className: 'table-alternative' }, [el('summary', { text: 'Table' }), dataTable(caption, header, rows)]);
}
