/**
 * `JSON.stringify(value, null, 2)` in pieces, for output too large for one string
 * (V8 caps a string at about 512 MB: a summary of a model of a million layers).
 * The pieces joined are exactly what JSON.stringify gives.
 */
export function* jsonChunks(value: unknown, indent = ''): Generator<string> {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]';
      return;
    }
    yield '[\n';
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      yield inner;
      yield* jsonChunks(item === undefined || typeof item === 'function' ? null : item, inner);
      yield i < value.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}]`;
    return;
  }
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON !== 'function') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined && typeof v !== 'function');
    if (entries.length === 0) {
      yield '{}';
      return;
    }
    yield '{\n';
    for (let i = 0; i < entries.length; i++) {
      const [key, item] = entries[i] as [string, unknown];
      yield `${inner}${JSON.stringify(key)}: `;
      yield* jsonChunks(item, inner);
      yield i < entries.length - 1 ? ',\n' : '\n';
    }
    yield `${indent}}`;
    return;
  }
  yield JSON.stringify(value) ?? 'null';
}

/** Writes the pieces in blocks of about `blockSize` characters. */
export function writeJson(value: unknown, write: (text: string) => void, blockSize = 1 << 20): void {
  let block = '';
  for (const chunk of jsonChunks(value)) {
    block += chunk;
    if (block.length >= blockSize) {
      write(block);
      block = '';
    }
  }
  write(`${block}\n`);
}

/** JSON to standard output in pieces where the output takes them (`write`), else in one string. */
export function outJson(io: { readonly out: (text: string) => void; readonly write?: (text: string) => void }, value: unknown): void {
  if (io.write) writeJson(value, io.write);
  else io.out(JSON.stringify(value, null, 2));
}
