/**
 * Shape checks of what a client sends, before any handler uses it: a client (or a
 * fuzzer) that sends `text: null` or `newName: null` gets an error reply, or its
 * notification is dropped with a log line, and the server goes on serving.
 */
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

export interface OpenedDocument {
  readonly uri: string;
  readonly languageId: string;
  readonly version: number;
  readonly text: string;
}

/** `textDocument` of didOpen, or why it is not one. */
export function openedDocument(params: unknown): OpenedDocument | string {
  const item = isObject(params) ? params['textDocument'] : undefined;
  if (!isObject(item)) return 'didOpen without a textDocument object';
  const { uri, languageId, version, text } = item;
  if (typeof uri !== 'string') return 'didOpen: textDocument.uri is not a string';
  if (typeof text !== 'string') return `didOpen of ${uri}: textDocument.text is not a string`;
  if (typeof version !== 'number' || !Number.isInteger(version)) return `didOpen of ${uri}: textDocument.version is not an integer`;
  return { uri, languageId: typeof languageId === 'string' ? languageId : 'model', version, text };
}

/** didChange's content changes, each a whole text or a ranged edit; a string says what is wrong. */
export function contentChangesOf(params: unknown): { uri: string; version: number; changes: ({ text: string } | { text: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } })[] } | string {
  if (!isObject(params) || !isObject(params['textDocument'])) return 'didChange without a textDocument object';
  const { uri, version } = params['textDocument'];
  if (typeof uri !== 'string') return 'didChange: textDocument.uri is not a string';
  if (typeof version !== 'number' || !Number.isInteger(version)) return `didChange of ${uri}: textDocument.version is not an integer`;
  const changes = params['contentChanges'];
  if (!Array.isArray(changes)) return `didChange of ${uri}: contentChanges is not a list`;
  for (const change of changes) {
    if (!isObject(change) || typeof change['text'] !== 'string') return `didChange of ${uri}: a content change has no text`;
    if (change['range'] !== undefined && !isRange(change['range'])) return `didChange of ${uri}: a content change has a malformed range`;
  }
  return { uri, version, changes: changes as never };
}

function isPosition(value: unknown): boolean {
  return isObject(value) && Number.isInteger(value['line']) && Number.isInteger(value['character']) && (value['line'] as number) >= 0 && (value['character'] as number) >= 0;
}

function isRange(value: unknown): boolean {
  return isObject(value) && isPosition(value['start']) && isPosition(value['end']);
}
