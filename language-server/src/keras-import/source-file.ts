/**
 * The Python to import, from a `.py` file or a Jupyter notebook's code cells, and where each
 * of its lines came from, so that notes name the file and line (for a notebook: the cell and
 * its line).
 */
export interface PythonSource {
  /** The code: a `.py` file as it is, or a notebook's code cells joined, one after the other. */
  readonly code: string;
  /** `file.py:12`, or `notebook.ipynb cell 4, line 3`, for a 1-based line of `code`. */
  where(line: number): string;
}

interface CellSpan {
  /** The cell's position in the notebook, counting every cell from 1 (as a notebook shows them, top to bottom). */
  readonly cell: number;
  /** Its first line in the joined code, 1-based. */
  readonly firstLine: number;
  readonly lineCount: number;
}

export function pythonFile(fileName: string, code: string): PythonSource {
  return { code: withoutShellLines(code), where: (line) => `${fileName}:${line}` };
}

/**
 * IPython's own lines (`%matplotlib inline`, `!pip install keras-tuner`, `%%time`) are not
 * Python: blanked, so that the line numbers stay where they were.
 */
function withoutShellLines(code: string): string {
  return code
    .split('\n')
    .map((line) => (/^\s*[%!]/.test(line) ? '' : line))
    .join('\n');
}

/** Reads a notebook (nbformat 4, or 3 with worksheets); an error in words when it is not one. */
export function notebookFile(fileName: string, json: string): PythonSource | { readonly error: string } {
  let document: unknown;
  try {
    document = JSON.parse(json);
  } catch (error) {
    return { error: `${fileName} is not a notebook: it is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const cells = cellsOf(document);
  if (!cells) return { error: `${fileName} is not a Jupyter notebook: it has no \`cells\` list` };
  const spans: CellSpan[] = [];
  const pieces: string[] = [];
  let nextLine = 1;
  cells.forEach((cell, index) => {
    if (!isRecord(cell) || cell['cell_type'] !== 'code') return;
    const source = textOf(cell['source'] ?? cell['input']);
    const code = withoutShellLines(source.replace(/\r\n?/g, '\n').replace(/\n$/, ''));
    const lineCount = code.split('\n').length;
    spans.push({ cell: index + 1, firstLine: nextLine, lineCount });
    pieces.push(code);
    // A blank line between cells ends an indented block left open at the end of a cell.
    nextLine += lineCount + 1;
  });
  const code = pieces.join('\n\n');
  return {
    code,
    where(line) {
      const span = spans.find((s) => line >= s.firstLine && line < s.firstLine + s.lineCount);
      return span ? `${fileName} cell ${span.cell}, line ${line - span.firstLine + 1}` : `${fileName}`;
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cellsOf(document: unknown): unknown[] | undefined {
  if (!isRecord(document)) return undefined;
  if (Array.isArray(document['cells'])) return document['cells'];
  const worksheets = document['worksheets'];
  if (Array.isArray(worksheets)) return worksheets.flatMap((w) => (isRecord(w) && Array.isArray(w['cells']) ? w['cells'] : []));
  return undefined;
}

/** A cell's source: a string, or a list of lines (each with its newline) as nbformat writes it. */
function textOf(source: unknown): string {
  if (typeof source === 'string') return source;
  if (Array.isArray(source)) return source.filter((s): s is string => typeof s === 'string').join('');
  return '';
}
