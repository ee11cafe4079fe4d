import { closeSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeText } from '../analysis/analyze-file.js';
import { importKeras } from '../keras-import/import-keras.js';
import type { CliIo } from './io.js';

export const importUsage = `Usage: layerlab import FILE.py|FILE.ipynb [--out FILE.model]

  FILE          Keras code (.py) or a Jupyter notebook (.ipynb), read without running it
  --out FILE    write the .model file there (its folder is created); without it the
                .model text goes to standard output
  --no-repeat   write every layer out, without folding identical runs into \`repeat\`

Notes on what could not be converted (left out) go to standard error, each with its
file and line (for a notebook: its cell and line).`;

/** The most a source file may be: notebooks carry their outputs (images), so more than a .model file. */
const maxSourceBytes = 64 * 1024 * 1024;

function readSource(file: string): { text: string } | { error: string } {
  try {
    const info = statSync(file);
    if (info.isDirectory()) return { error: 'it is a folder' };
    if (!info.isFile()) return { error: 'it is not a regular file (a device or a pipe)' };
    if (info.size > maxSourceBytes) return { error: `it is ${(info.size / (1024 * 1024)).toFixed(0)} MB, more than the ${maxSourceBytes / (1024 * 1024)} MB the importer reads` };
    const buffer = Buffer.alloc(info.size);
    const fd = openSync(file, 'r');
    try {
      let read = 0;
      while (read < info.size) {
        const n = readSync(fd, buffer, read, info.size - read, read);
        if (n === 0) break;
        read += n;
      }
      return { text: buffer.subarray(0, read).toString('utf8') };
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'no such file' : error instanceof Error ? error.message : String(error) };
  }
}

/** `layerlab import FILE [--out FILE.model]`: Keras code or a notebook → a `.model` file. */
export function importCommand(argv: readonly string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { out: { type: 'string', short: 'o' }, 'no-repeat': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.err(`layerlab import: ${error instanceof Error ? error.message : String(error)}\n\n${importUsage}`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(importUsage);
    return 0;
  }
  const file = parsed.positionals[0];
  if (!file || parsed.positionals.length > 1) {
    io.err(`layerlab import: expected exactly one FILE (.py or .ipynb)\n\n${importUsage}`);
    return 2;
  }
  const read = readSource(file);
  if ('error' in read) {
    io.err(`layerlab import: cannot read ${file}: ${read.error}`);
    return 2;
  }
  const result = importKeras(file, read.text, { fold: parsed.values['no-repeat'] !== true });
  if ('error' in result) {
    io.err(`layerlab import: ${result.error}`);
    return 2;
  }
  const out = parsed.values.out;
  if (out !== undefined) {
    try {
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, result.text);
    } catch (error) {
      io.err(`layerlab import: cannot write ${out}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  } else (io.write ?? io.out)(result.text);
  for (const note of result.notes) io.err(`${note.where}: note: ${note.message}`);
  const analysis = analyzeText(result.text);
  const written = out ?? '<stdout>';
  for (const d of analysis.diagnostics) {
    if (d.severity !== 'error') continue;
    const at = analysis.lines.positionAt(d.range.start);
    io.err(`${written}:${at.line + 1}:${at.character + 1}: error: ${d.message}`);
  }
  if (result.models.length === 0) {
    io.err(`layerlab import: no Keras model found in ${file}`);
    return 1;
  }
  const notes = result.notes.length ? `; ${result.notes.length} note${result.notes.length === 1 ? '' : 's'} above` : '';
  io.err(`imported ${result.models.join(', ')} from ${file}${out ? ` into ${out}` : ''}${notes}`);
  return 0;
}
