/**
 * Canvas colours come from the same CSS variables as the stylesheet (view.css maps the
 * VS Code theme variables, with fallbacks, to --ll-*); they are read again when the theme changes.
 */

export interface Palette {
  readonly foreground: string;
  readonly background: string;
  readonly muted: string;
  readonly grid: string;
  readonly focus: string;
  /** Series colours, in order: blue, orange, green, red, purple, yellow. */
  readonly series: readonly string[];
}

const fallback = { foreground: '#1f2328', background: '#ffffff', muted: '#6e7781', grid: 'rgba(128,128,128,0.25)', focus: '#0969da', series: ['#1a85ff', '#e8710a', '#1e8e3e', '#d93025', '#9334e6', '#c49000'] };

function variable(style: CSSStyleDeclaration, name: string, otherwise: string): string {
  return style.getPropertyValue(name).trim() || otherwise;
}

export function readPalette(): Palette {
  const style = getComputedStyle(document.body);
  const names = ['blue', 'orange', 'green', 'red', 'purple', 'yellow'];
  return {
    foreground: variable(style, '--ll-foreground', fallback.foreground),
    background: variable(style, '--ll-background', fallback.background),
    muted: variable(style, '--ll-muted', fallback.muted),
    grid: variable(style, '--ll-grid', fallback.grid),
    focus: variable(style, '--ll-focus', fallback.focus),
    series: names.map((name, i) => variable(style, `--ll-${name}`, fallback.series[i] ?? fallback.foreground)),
  };
}

export function seriesColor(palette: Palette, index: number): string {
  return palette.series[index % palette.series.length] ?? palette.foreground;
}

/** Calls `onChange` when VS Code switches theme (body class / inline variables) or the OS scheme changes. */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  document.documentElement && new MutationObserver(onChange).observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', onChange);
}
