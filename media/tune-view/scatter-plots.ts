import { el, svg, tableAlternative } from '../view/dom.js';
import { formatDecimal } from '../view/format.js';
import type { Palette } from '../view/theme.js';
import type { PlotAxis, SearchPlotData } from './plot-data.js';
import { formatValue } from './scales.js';
import { qualityOf, ScoreColors } from './score-colors.js';
import { axisElement, placeOn, type AxisLine } from './svg-axis.js';

const width = 300;
const height = 220;
const margin = { left: 56, right: 14, top: 12, bottom: 42 };
const inset = 10;

/** The objective against one parameter: a point per completed trial, the best one larger and outlined. */
export function scatterPlot(data: SearchPlotData, parameter: PlotAxis, palette: Palette, selectedId: string | undefined, onSelect: (trialId: string) => void): SVGSVGElement {
  // The axes start a little apart from their corner, so no point sits on an axis line.
  const xLine: AxisLine = { start: { x: margin.left + inset, y: height - margin.bottom }, end: { x: width - margin.right, y: height - margin.bottom } };
  const yLine: AxisLine = { start: { x: margin.left, y: height - margin.bottom - inset }, end: { x: margin.left, y: margin.top } };
  const root = svg('svg', {
    class: 'search-plot scatter',
    'data-parameter': parameter.name,
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${data.objective.name} against ${parameter.name}, one point per completed trial; the table below lists them`,
  });
  root.append(axisElement(parameter.name, parameter.scale, xLine, 4), axisElement(data.objective.name, data.objectiveAxis.scale, yLine, 4));
  root.append(svg('text', { class: 'axis-title', x: (xLine.start.x + xLine.end.x) / 2, y: height - 6, 'text-anchor': 'middle' }, [`${parameter.name}${parameter.scale.kind === 'log' ? ' (log)' : ''}`]));
  root.append(svg('text', { class: 'axis-title', transform: `translate(12 ${(yLine.start.y + yLine.end.y) / 2}) rotate(-90)`, 'text-anchor': 'middle' }, [data.objective.name]));
  const colors = new ScoreColors(palette);
  const points = svg('g', { class: 'points' });
  const ordered = [...data.trials].sort((a, b) => Number(a.id === data.bestId) - Number(b.id === data.bestId));
  for (const trial of ordered) {
    const x = placeOn(xLine, parameter.scale, parameter.value(trial))?.x;
    const y = placeOn(yLine, data.objectiveAxis.scale, trial.score)?.y;
    if (x === undefined || y === undefined) continue;
    const best = trial.id === data.bestId;
    const classes = ['point', best ? 'best' : '', trial.id === selectedId ? 'selected' : ''].filter(Boolean).join(' ');
    const circle = svg('circle', { class: classes, 'data-trial': trial.id, cx: x, cy: y, r: best ? 6 : 4, fill: colors.at(qualityOf(trial.score, data.scoreRange, data.objective.direction)) }, [
      svg('title', {}, [`trial ${trial.id}${best ? ' (best)' : ''}: ${parameter.name}=${formatValue(parameter.value(trial))}, ${data.objective.name} ${formatDecimal(trial.score)}`]),
    ]);
    circle.addEventListener('click', () => onSelect(trial.id));
    points.append(circle);
  }
  root.append(points);
  return root;
}

export function scatterTable(data: SearchPlotData, parameter: PlotAxis): HTMLDetailsElement {
  return tableAlternative(
    `${data.objective.name} against ${parameter.name}`,
    ['Trial', parameter.name, data.objective.name],
    data.trials.map((t) => [t.id === data.bestId ? `${t.id} (best)` : t.id, formatValue(parameter.value(t)), formatDecimal(t.score)]),
  );
}

export const scatterEmpty = (): HTMLElement => el('p', { className: 'empty', text: 'The plots appear when a trial completes.' });
