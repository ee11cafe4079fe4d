import type { GraphNode, KerasModel, Tensor } from './py-values.js';
import { analyzeText } from '../analysis/analyze-file.js';
import { Interpreter } from './interpreter.js';
import { isModel, KerasRuntime } from './keras-runtime.js';
import { isLabelName, modelBody, valueText, writeModel } from './model-writer.js';
import { parsePython } from './python-parse.js';
import { notebookFile, pythonFile, type PythonSource } from './source-file.js';
import { render } from './statements.js';
import { TrainingWriter } from './training-writer.js';

/**
 * `layerlab import`: Keras code (a `.py` file, a notebook, or code from the clipboard) → a
 * `.model` file, read without running it. What cannot be converted is left out and said in a
 * note with its place (file and line; for a notebook, cell and line).
 */

export interface ImportNote {
  /** `model.py:12`, `notebook.ipynb cell 4, line 3`. */
  readonly where: string;
  readonly message: string;
}

export interface KerasImport {
  /** The `.model` text. */
  readonly text: string;
  /** The names of the models written, in order. */
  readonly models: readonly string[];
  readonly notes: readonly ImportNote[];
}

export interface ImportOptions {
  /** Fold runs of identical statements into `repeat` (on by default). */
  readonly fold?: boolean;
}

/** Imports Python code or a notebook (told apart by the file name's `.ipynb`); an error in words when a notebook cannot be read. */
export function importKeras(fileName: string, content: string, options: ImportOptions = {}): KerasImport | { readonly error: string } {
  const source = /\.ipynb$/i.test(fileName) ? notebookFile(fileName, content) : pythonFile(fileName, content);
  if ('error' in source) return source;
  return importSource(source, fileName, options);
}

function importSource(source: PythonSource, fileName: string, options: ImportOptions): KerasImport {
  const module = parsePython(source.code);
  const interpreter = new Interpreter();
  const runtime = new KerasRuntime(interpreter, tensorShape);
  interpreter.hooks = runtime;
  for (const error of module.syntaxErrors) interpreter.note(error.line, `Python cannot parse this line (\`${error.text.trim().slice(0, 60)}\`); it is left out`);
  interpreter.run(module.body);

  const written = runtime.models.filter((m) => shouldWrite(m));
  const names = modelNames(written, fileName);
  const trainingWriter = new TrainingWriter((line, message) => interpreter.note(line, message));
  const sections: string[][] = [];
  for (const model of written) {
    const name = names.get(model) ?? 'model';
    const result = writeModel(name, model, options);
    const lines = [...result.lines];
    if (model.inputs.length === 0) {
      interpreter.note(model.line, `the input shape of ${name} is not given (no Input, no input_shape= on its first layer, no build() or fit() on data of known shape); write its \`input\` statement`);
      lines.splice(1, 0, '  # input: its shape is not given in the code; write it here, e.g. input (28, 28, 1)', ...pendingLines(model));
    }
    const inputShape = model.inputs.length === 1 && model.inputs[0]?.node.kind === 'input' ? model.inputs[0].node.shape : undefined;
    const tuner = runtime.tuners.find((t) => t.model === model);
    const several = model.inputs.length > 1 || model.outputs.length > 1;
    // Layerlab's data sets give one input and one label: a train or tune block for this model would be an error.
    const training = several ? undefined : tuner ? trainingWriter.tuneBlock(name, tuner, model, result.parameters, inputShape) : trainingWriter.trainBlock(name, model, inputShape);
    if (several && (tuner || model.compile || model.fit)) {
      const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
      interpreter.note(tuner?.line ?? model.fit?.line ?? model.compile?.line ?? model.line, `${name} has ${count(model.inputs.length, 'input')} and ${count(model.outputs.length, 'output')}; Layerlab trains models of one input and one output, so its ${tuner ? 'search' : 'compile/fit'} is left out`);
    }
    sections.push(training ? [...lines, '', ...training] : lines);
  }
  const notes = [...interpreter.notes].sort((a, b) => a.line - b.line).map((n) => ({ where: source.where(n.line), message: n.message }));
  const header = [`# Imported from ${fileName} by \`layerlab import\`.`];
  if (notes.length) header.push(`# ${notes.length} note${notes.length === 1 ? '' : 's'}: what could not be converted was left out (see the importer's notes).`);
  if (written.length === 0) header.push('# No Keras model was found in the code.');
  const text = [...header, '', sections.map((s) => s.join('\n')).join('\n\n'), ''].join('\n').replace(/\n{3,}/g, '\n\n');
  return { text, models: written.map((m) => names.get(m) ?? 'model'), notes };
}

/** A model is written when it has layers; a part used inside another model only when it has an input of its own. */
function shouldWrite(model: KerasModel): boolean {
  const hasLayers = model.outputs.some((t) => t.node.kind === 'layer') || model.pending.length > 0;
  if (!hasLayers) return false;
  if (model.usedInside && model.inputs.length === 0) return false;
  return true;
}

/** The layers of a Sequential whose input is unknown, written so that the user only adds the input. */
function pendingLines(model: KerasModel): string[] {
  return model.pending.map((item) => {
    if (isModel(item)) return `  # a nested model, left out until the input is known`;
    if (!item.mapped) return `  # ${item.className} is not a layer Layerlab knows; left out`;
    const layer = item.mapped;
    return `  ${layer.type}(${layer.args.map((a) => (a.name ? `${a.name}=` : '') + valueText(a.value)).join(', ')})`;
  });
}

/** Model names: Keras's `name=`, the tuner's build function, the variable it was assigned to; unique in the file. */
function modelNames(models: readonly KerasModel[], fileName: string): Map<KerasModel, string> {
  const names = new Map<KerasModel, string>();
  const used = new Set<string>();
  const stem = (fileName.split(/[\\/]/).pop() ?? '').replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1');
  const fallback = isLabelName(stem) ? stem : 'imported';
  for (const model of models) {
    const variables = model.variables.filter(isLabelName);
    const candidates = [model.name ?? '', model.builtBy ?? '', ...[...variables].reverse()].map((c) => c.replace(/[^A-Za-z0-9_]/g, '_')).filter(isLabelName);
    let name = candidates.find((c) => !used.has(c)) ?? candidates[0] ?? fallback;
    if (used.has(name)) {
      let n = 2;
      while (used.has(`${name}_${n}`)) n++;
      name = `${name}_${n}`;
    }
    used.add(name);
    names.set(model, name);
  }
  return names;
}

/** A tensor's shape, by analysing the part of the graph that leads to it: the importer's answer to `x.shape`. */
function tensorShape(tensor: Tensor): readonly (number | null)[] | undefined {
  if (tensor.node.kind === 'input') return tensor.node.shape;
  if (tensor.index !== 0) return undefined;
  const inputs = inputsOf(tensor);
  if (inputs.length !== 1 || inputs.some((t) => t.node.kind !== 'input' || !t.node.shape)) return undefined;
  const body = modelBody({ inputs, outputs: [tensor] }, new Set(), { fold: false });
  const text = ['model probe {', ...render(body, '  '), '}'].join('\n');
  const analysis = analyzeText(text);
  const evaluated = analysis.models[0]?.evaluated;
  if (!evaluated?.complete || evaluated.errorCount > 0) return undefined;
  return evaluated.output?.outputShape;
}

function inputsOf(tensor: Tensor): Tensor[] {
  const found: Tensor[] = [];
  const seen = new Set<GraphNode>();
  const visit = (t: Tensor): void => {
    if (seen.has(t.node)) return;
    seen.add(t.node);
    if (t.node.kind === 'input') found.push(t);
    else for (const input of [...t.node.inputs, ...t.node.initialState]) visit(input);
  };
  visit(tensor);
  return found;
}
