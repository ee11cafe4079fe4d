import { mkdirSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeText, type FileAnalysis, type ModelAnalysis } from '../analysis/analyze-file.js';
import { writeFileAtomic } from '../common/atomic-write.js';
import { kerasScript } from '../features/keras-script.js';
import type { CliIo } from './io.js';
import { readModelFile } from './read-model-file.js';

export const exportUsage = `Usage: layerlab export FILE [--model NAME] [--out FILE.py]

  --model NAME   the model to export (default: the first model of the first train block, else the file's first model)
  --out FILE.py  write the script to this file (default: standard output)

Writes a runnable Keras 3 script: the model, and, when a train block trains it, the data set
loaded as keras.datasets loads it, compile and fit with every setting of the block, and the test
set's evaluation.`;

/** The model to export: the one named, else the first that the first `train` block trains, else the first of the file. */
function chooseModel(analysis: FileAnalysis, name: string | undefined): ModelAnalysis | undefined {
  if (name !== undefined) return analysis.models.find((m) => m.name === name);
  return analysis.trainings[0]?.models[0] ?? analysis.models[0];
}

/** `layerlab export FILE`: a runnable Keras 3 script of one model of FILE. */
export function exportCommand(argv: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { model: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`layerlab export: ${error instanceof Error ? error.message : String(error)}\n\n${exportUsage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(exportUsage);
    return 0;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    io.err(`layerlab export: expected exactly one FILE\n\n${exportUsage}`);
    return 2;
  }
  const read = readModelFile(file);
  if ('error' in read) {
    io.err(`layerlab export: cannot read ${file}: ${read.error}`);
    return 2;
  }
  const analysis = analyzeText(read.text);
  const names = analysis.models.map((m) => m.name);
  const model = chooseModel(analysis, parsed.values.model);
  if (!model) {
    io.err(
      parsed.values.model !== undefined
        ? `layerlab export: ${file} has no model named ${parsed.values.model}; it has ${names.join(', ') || 'no models'}`
        : `layerlab export: ${file} has no model to export; declare one, e.g. \`model m { input mnist … }\``,
    );
    return 2;
  }
  const out = parsed.values.out;
  const scriptFolder = out !== undefined ? dirname(resolve(out)) : process.cwd();
  const modelFolder = relative(scriptFolder, dirname(resolve(file))).replace(/\\/g, '/') || '.';
  const script = kerasScript(analysis, model, { source: relative(scriptFolder, resolve(file)).replace(/\\/g, '/'), modelFolder: { relativeToScript: modelFolder } });
  if (script.kind === 'error') {
    io.err(`${file}:${script.line}: error: ${script.message}`);
    return 1;
  }
  if (parsed.values.model === undefined && names.length > 1) io.err(`layerlab export: exported ${model.name}; --model NAME exports another: ${names.join(', ')}`);
  if (out === undefined) {
    if (io.write) io.write(script.code);
    else io.out(script.code.replace(/\n$/, ''));
    return 0;
  }
  try {
    mkdirSync(dirname(resolve(out)), { recursive: true });
    writeFileAtomic(out, script.code);
  } catch (error) {
    io.err(`layerlab export: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  io.err(`export: ${out} (${model.name}, ${script.kind === 'script' ? `trained as the train block on line ${script.trainLine} sets it` : 'the model only: no train block trains it'})`);
  return 0;
}
