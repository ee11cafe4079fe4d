import { labelsDefined, labelsReferenced, type Label, type Statement } from './statements.js';

/**
 * Runs of identical consecutive statements → `repeat N { ... }`, where that gives the same model:
 * copies are compared with their own labels renamed (a residual block's `skip` is `skip_2` in the
 * next copy), a label of an earlier copy must not be used outside it, and labels taken from
 * Keras's `name=` are compared as written, so named layers keep their names. Smaller blocks are
 * folded first, so that blocks nest (`repeat 2 { repeat 3 { Conv2D(...) } MaxPooling2D() }`).
 */

const maxBlock = 40;

export function foldRepeats(statements: readonly Statement[]): Statement[] {
  let list = statements.map(foldInside);
  for (let size = 1; size <= Math.min(maxBlock, Math.floor(list.length / 2)); size++) list = foldBlocksOf(list, size);
  return list;
}

function foldInside(statement: Statement): Statement {
  if (statement.kind === 'line') return statement;
  return { ...statement, body: foldRepeats(statement.body) };
}

function foldBlocksOf(list: readonly Statement[], size: number): Statement[] {
  const out: Statement[] = [];
  let i = 0;
  while (i < list.length) {
    const copies = copiesAt(list, i, size);
    if (copies >= 2 && copies * size >= 3) {
      const last = list.slice(i + (copies - 1) * size, i + copies * size);
      // The body is the last copy (later statements refer to its labels), named as the first copy was.
      const firstLabels = list.slice(i, i + size).flatMap(labelsDefined);
      last.flatMap(labelsDefined).forEach((label, k) => {
        const first = firstLabels[k];
        if (first && !label.fixed) label.name = first.name;
      });
      out.push({ kind: 'repeat', count: String(copies), body: last });
      i += copies * size;
    } else {
      const statement = list[i];
      if (statement) out.push(statement);
      i++;
    }
  }
  return out;
}

/** How many copies of the block of `size` statements at `start` follow one another (at least 1), as far as folding them keeps the model. */
function copiesAt(list: readonly Statement[], start: number, size: number): number {
  const first = list.slice(start, start + size);
  if (first.length < size || first.some((s) => s.kind === 'line' && s.blocks.length > 0)) return 1;
  const key = canonical(first);
  let copies = 1;
  while (start + (copies + 1) * size <= list.length && canonical(list.slice(start + copies * size, start + (copies + 1) * size)) === key) copies++;
  // Only the last copy's labels may be used after the run: the others' must stay inside their own copy.
  while (copies >= 2 && !earlierLabelsStayInside(list, start, size, copies)) copies--;
  return copies;
}

function earlierLabelsStayInside(list: readonly Statement[], start: number, size: number, copies: number): boolean {
  for (let c = 0; c < copies - 1; c++) {
    const from = start + c * size;
    const own = new Set(list.slice(from, from + size).flatMap(labelsDefined));
    if (own.size === 0) continue;
    for (let k = 0; k < list.length; k++) {
      if (k >= from && k < from + size) continue;
      const s = list[k];
      if (s && labelsReferenced(s).some((l) => own.has(l))) return false;
    }
  }
  return true;
}

/** The block's text with the labels it defines numbered in order of definition; fixed and outside labels by name. */
function canonical(block: readonly Statement[]): string {
  const numbering = new Map<Label, number>();
  for (const s of block) for (const l of labelsDefined(s)) if (!l.fixed && !numbering.has(l)) numbering.set(l, numbering.size);
  const text = (s: Statement): string => {
    if (s.kind === 'line') return s.pieces.map((p) => (typeof p === 'string' ? p : numbering.has(p) ? `\u0000${numbering.get(p)}` : `\u0001${p.name}`)).join('');
    return `${s.kind} ${s.kind === 'repeat' ? s.count : s.condition} {${s.body.map(text).join('\n')}}`;
  };
  return block.map(text).join('\n');
}
