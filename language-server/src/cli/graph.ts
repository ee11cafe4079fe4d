import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeText } from '../analysis/analyze-file.js';
import { diagnosticJson } from '../features/summary-json.js';
import { modelGraph } from '../features/model-graph.js';
import { layoutGraph, type SizeBy } from '../graph/layout.js';
import { darkPalette, lightPalette } from '../graph/palette.js';
import { graphSvg } from '../graph/svg.js';
import { defaultFolds, maxLaidOutBoxes, visibleGraph } from '../graph/visible.js';
import { layoutEngine } from './elk-engine.js';
import type { CliIo } from './io.js';
import { readModelFile } from './read-model-file.js';

export const graphUsage = `Usage: layerlab graph FILE [--model NAME] --out FILE.svg|FILE.png [--theme light|dark] [--by params|memory] [--fold]

  FILE          a .model file
  --model NAME  the model to draw (default: the file's first)
  --out FILE    the drawing to write: .svg, or .png (at twice the size, drawn with @resvg/resvg-js)
  --theme T     light (default) or dark
  --by V        a bar under each box, and its colour, by params (parameter count) or memory (activation memory per sample)
  --fold        each outermost repeat block as one box (a model of more than 300 layers is folded anyway)`;

const themes = { light: lightPalette, dark: darkPalette } as const;

/** Rasterises SVG text with resvg (an optional dependency with prebuilt binaries), or says why it cannot. */
async function svgToPng(svg: string, background: string): Promise<Buffer | { error: string }> {
  let resvg: typeof import('@resvg/resvg-js');
  try {
    resvg = await import('@resvg/resvg-js');
  } catch {
    return { error: 'PNG needs the package @resvg/resvg-js (an optional dependency: `npm install @resvg/resvg-js`); or write --out FILE.svg' };
  }
  const rendered = new resvg.Resvg(svg, { background, fitTo: { mode: 'zoom', value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans Mono' } }).render();
  return rendered.asPng();
}

/** `layerlab graph FILE --out FILE.svg|.png`: the model's graph, laid out with ELK, as SVG or PNG. */
export async function graphCommand(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { model: { type: 'string' }, out: { type: 'string', short: 'o' }, theme: { type: 'string' }, by: { type: 'string' }, fold: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (error) {
    io.err(`layerlab graph: ${error instanceof Error ? error.message : String(error)}\n\n${graphUsage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(graphUsage);
    return 0;
  }
  const usageError = (message: string): number => {
    io.err(`layerlab graph: ${message}\n\n${graphUsage}`);
    return 2;
  };
  const file = positionals[0];
  if (!file || positionals.length > 1) return usageError('expected exactly one FILE');
  const out = values.out;
  if (out === undefined) return usageError('name the drawing to write with --out FILE.svg or --out FILE.png');
  const format = extname(out).toLowerCase();
  if (format !== '.svg' && format !== '.png') return usageError(`--out ${out}: the file must end in .svg or .png`);
  const theme = values.theme ?? 'light';
  if (theme !== 'light' && theme !== 'dark') return usageError(`--theme ${theme}: choose light or dark`);
  const by = values.by ?? 'none';
  if (by !== 'none' && by !== 'params' && by !== 'memory') return usageError(`--by ${by}: choose params or memory`);

  const read = readModelFile(file);
  if ('error' in read) {
    io.err(`layerlab graph: cannot read ${file}: ${read.error}`);
    return 2;
  }
  const analysis = analyzeText(read.text);
  const model = values.model === undefined ? analysis.models[0] : analysis.models.find((m) => m.name === values.model);
  if (!model) {
    const names = analysis.models.map((m) => m.name).join(', ');
    return usageError(values.model === undefined ? `${file} declares no model` : `${file} has no model named ${values.model}; it has ${names || 'no models'}`);
  }
  for (const d of analysis.diagnostics) {
    const inModel = d.range.start >= model.declaration.range.start && d.range.end <= model.declaration.range.end;
    if (d.severity !== 'error' && !inModel) continue;
    const j = diagnosticJson(d, analysis.lines);
    io.err(`${file}:${j.line}:${j.column}: ${j.severity}: ${j.message}`);
  }
  const graph = modelGraph(analysis, model);
  if (!graph) {
    io.err(`layerlab graph: ${model.name} could not be analysed, so there is nothing to draw; see the errors above`);
    return 1;
  }
  const folded = values.fold ? new Set(graph.groups.filter((g) => g.parent === undefined).map((g) => g.id)) : defaultFolds(graph);
  const palette = themes[theme];
  const visible = visibleGraph(graph, folded);
  if (visible.items.length > maxLaidOutBoxes) {
    io.err(`layerlab graph: ${graph.model} would be ${visible.items.length.toLocaleString('en-US')} boxes even with its repeat blocks folded, more than the ${maxLaidOutBoxes.toLocaleString('en-US')} Layerlab lays out; write its repeated layers in a repeat block, or read it with layerlab summary`);
    return 1;
  }
  const layout = await layoutGraph(layoutEngine(), graph, visible, by as SizeBy);
  const svg = graphSvg(graph, layout, palette);
  const data = format === '.svg' ? svg : await svgToPng(svg, palette.background);
  if (typeof data === 'object' && 'error' in data) {
    io.err(`layerlab graph: ${data.error}`);
    return 2;
  }
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, data);
  } catch (error) {
    io.err(`layerlab graph: cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const drawn = layout.items.length;
  io.err(`graph: ${out} (${graph.model}, ${drawn} box${drawn === 1 ? '' : 'es'}${folded.size ? `, ${folded.size} repeat block${folded.size === 1 ? '' : 's'} folded` : ''}, ${(Buffer.byteLength(data) / 1024).toFixed(0)} KiB)`);
  return graph.errors.length ? 1 : 0;
}
