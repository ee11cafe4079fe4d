import { svg, tableAlternative } from '../view/dom.js';
import { formatDecimal } from '../view/format.js';
import type { Palette } from '../view/theme.js';
import type { SearchPlotData } from './plot-data.js';
import { formatValue } from './scales.js';
import { qualityOf, ScoreColors } from './score-colors.js';
import { axisElement, placeOn, type AxisLine } from './svg-axis.js';
import { describePoint } from './trial-text.js';

const height = 340;
const margin = { top: 44, bottom: 56, side: 70 };
const axisGap = 150;

/**
 * Parallel coordinates: one vertical axis per searched parameter and one for the
 * objective, one polyline per completed trial coloured by its score, the best
 * trial drawn last and thicker. Clicking a line selects its trial.
 */
export function parallelCoordinates(data: SearchPlotData, palette: Palette, selectedId: string | undefined, onSelect: (trialId: string) => void): SVGSVGElement {
  const axes = [...data.parameters, data.objectiveAxis];
  const width = Math.max(560, margin.side * 2 + axisGap * (axes.length - 1));
  const step = axes.length > 1 ? (width - margin.side * 2) / (axes.length - 1) : 0;
  const lines: AxisLine[] = axes.map((_, i) => {
    const x = margin.side + i * step;
    return { start: { x, y: height - margin.bottom }, end: { x, y: margin.top } };
  });
  const direction = data.objective.direction === 'min' ? 'lower is better' : 'higher is better';
  const root = svg('svg', {
    class: 'search-plot parallel',
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `Parallel coordinates of ${data.trials.length} completed trials: ${data.parameters.map((p) => p.name).join(', ')} against ${data.objective.name} (${direction}); the table below lists the values`,
  });
  const colors = new ScoreColors(palette);
  const traces = svg('g', { class: 'traces' });
  const ordered = [...data.trials].sort((a, b) => Number(a.id === data.bestId) - Number(b.id === data.bestId) || Number(a.id === selectedId) - Number(b.id === selectedId));
  for (const trial of ordered) {
    const points = axes.flatMap((axis, i) => {
      const line = lines[i];
      const at = line ? placeOn(line, axis.scale, axis.value(trial)) : undefined;
      return at ? [`${at.x},${at.y}`] : [];
    });
    const best = trial.id === data.bestId;
    const classes = ['trial-line', best ? 'best' : '', trial.id === selectedId ? 'selected' : ''].filter(Boolean).join(' ');
    const polyline = svg('polyline', {
      class: classes,
      'data-trial': trial.id,
      points: points.join(' '),
      fill: 'none',
      stroke: colors.at(qualityOf(trial.score, data.scoreRange, data.objective.direction)),
      'stroke-width': best ? 4 : trial.id === selectedId ? 2.5 : 1.5,
      'stroke-opacity': best || trial.id === selectedId ? 1 : 0.7,
      'stroke-linejoin': 'round',
    }, [svg('title', {}, [`trial ${trial.id}${best ? ' (best)' : ''}: ${describePoint(trial)}; ${data.objective.name} ${formatDecimal(trial.score)}`])]);
    polyline.addEventListener('click', () => onSelect(trial.id));
    traces.append(polyline);
  }
  root.append(traces);
  axes.forEach((axis, i) => {
    const line = lines[i];
    if (!line) return;
    const group = axisElement(axis.name, axis.scale, line, 8);
    const objective = i === axes.length - 1;
    group.classList.add(objective ? 'objective-axis' : 'parameter-axis');
    group.append(svg('text', { class: 'axis-title', x: line.start.x, y: margin.top - 24, 'text-anchor': 'middle' }, [axis.name]));
    group.append(svg('text', { class: 'axis-subtitle', x: line.start.x, y: margin.top - 10, 'text-anchor': 'middle' }, [objective ? direction : axis.scale.kind === 'log' ? 'log scale' : axis.scale.kind === 'category' ? 'choices' : 'linear']));
    root.append(group);
  });
  root.append(legend(colors, width, data.objective.name));
  return root;
}

function legend(colors: ScoreColors, width: number, objective: string): SVGGElement {
  const y = height - 18;
  const x = width - margin.side - 200;
  const gradientId = 'score-gradient';
  const gradient = svg('linearGradient', { id: gradientId, x1: 0, x2: 1, y1: 0, y2: 0 }, [0, 0.5, 1].map((t) => svg('stop', { offset: t, 'stop-color': colors.at(t) })));
  return svg('g', { class: 'legend' }, [
    svg('defs', {}, [gradient]),
    svg('text', { class: 'legend-label', x: x - 6, y: y + 4, 'text-anchor': 'end' }, [`${objective}: worse`]),
    svg('rect', { x, y: y - 5, width: 120, height: 10, fill: `url(#${gradientId})` }),
    svg('text', { class: 'legend-label', x: x + 126, y: y + 4 }, ['better; thick: best']),
  ]);
}

/** The plot's values as a table. */
export function parallelTable(data: SearchPlotData): HTMLDetailsElement {
  return tableAlternative(
    `Completed trials of ${data.model}: parameters and ${data.objective.name}`,
    ['Trial', ...data.parameters.map((p) => p.name), data.objective.name],
    data.trials.map((t) => [t.id === data.bestId ? `${t.id} (best)` : t.id, ...data.parameters.map((p) => formatValue(p.value(t))), formatDecimal(t.score)]),
  );
}
