import { darkPalette, lightPalette, monospaceFonts, type GraphPalette } from '../../language-server/src/protocol/graph.js';

/**
 * The graph's colours from the VS Code theme: its CSS variables where it sets them, the
 * light or dark defaults (by the body's theme class) where not. Read again when the theme changes.
 */

export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

export function themeKind(): ThemeKind {
  const classes = document.body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-dark')) return 'dark';
  if (classes.contains('vscode-light')) return 'light';
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function readGraphPalette(): GraphPalette {
  const kind = themeKind();
  const base = kind === 'dark' || kind === 'high-contrast' ? darkPalette : lightPalette;
  const style = getComputedStyle(document.body);
  const css = (name: string, otherwise: string): string => style.getPropertyValue(name).trim() || otherwise;
  const contrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  const border = css('--vscode-contrastBorder', '');
  const background = css('--vscode-editor-background', base.background);
  const foreground = css('--vscode-editor-foreground', base.foreground);
  return {
    ...base,
    background,
    foreground,
    muted: contrast ? foreground : css('--vscode-descriptionForeground', base.muted),
    nodeFill: contrast ? background : css('--vscode-editorWidget-background', base.nodeFill),
    nodeStroke: border || css('--vscode-editorWidget-border', base.nodeStroke),
    frameStroke: border || base.frameStroke,
    edge: contrast ? foreground : base.edge,
    label: css('--vscode-textLink-foreground', base.label),
    error: css('--vscode-errorForeground', base.error),
    focus: css('--vscode-focusBorder', base.focus),
    families: {
      ...base.families,
      core: css('--vscode-charts-blue', base.families.core),
      convolution: css('--vscode-charts-green', base.families.convolution),
      recurrent: css('--vscode-charts-orange', base.families.recurrent),
      wrapper: css('--vscode-charts-orange', base.families.wrapper),
      merging: css('--vscode-charts-red', base.families.merging),
      normalization: css('--vscode-charts-purple', base.families.normalization),
      regularization: css('--vscode-charts-yellow', base.families.regularization),
    },
    fontFamily: monospaceFonts,
  };
}

/** Calls `onChange` when VS Code switches theme (body class and inline variables) or the OS scheme changes. */
export function watchTheme(onChange: () => void): void {
  new MutationObserver(onChange).observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
  window.matchMedia?.('(prefers-color-scheme: dark)').addEventListener?.('change', onChange);
}
