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

/** What a request's params must hold beyond `textDocument.uri`. */
export interface RequestNeeds {
  readonly position?: boolean;
  readonly range?: boolean;
}

const needsByMethod: Readonly<Record<string, RequestNeeds>> = {
  'textDocument/hover': { position: true },
  'textDocument/completion': { position: true },
  'textDocument/signatureHelp': { position: true },
  'textDocument/definition': { position: true },
  'textDocument/references': { position: true },
  'textDocument/prepareRename': { position: true },
  'textDocument/rename': { position: true },
  'textDocument/codeAction': { range: true },
  'textDocument/inlayHint': { range: true },
};

/**
 * Why a text-document request's params cannot be served (no `textDocument.uri`, a position or range
 * that is not whole numbers), in words for the error reply; undefined when they can.
 */
export function requestParamsProblem(method: string, params: unknown): string | undefined {
  if (!isObject(params)) return `${method} needs its params, an object`;
  const document = params['textDocument'];
  if (!isObject(document) || typeof document['uri'] !== 'string') return `${method} needs textDocument.uri, a string`;
  const needs = needsByMethod[method] ?? {};
  if (needs.position && !isPosition(params['position'])) return `${method} needs position, with line and character as whole numbers from 0`;
  if (needs.range && !isRange(params['range'])) return `${method} needs range, with start and end positions of whole numbers from 0`;
  return undefined;
}

/** Why a Layerlab request's params cannot be served (no `uri`, a malformed position), or undefined. */
export function customParamsProblem(method: string, params: unknown, needs: RequestNeeds = {}): string | undefined {
  if (!isObject(params) || typeof params['uri'] !== 'string') return `${method} needs uri, a string`;
  if (needs.position && !isPosition(params['position'])) return `${method} needs position, with line and character as whole numbers from 0`;
  if (params['position'] !== undefined && !isPosition(params['position'])) return `${method}: position needs line and character as whole numbers from 0`;
  if (params['model'] !== undefined && typeof params['model'] !== 'string') return `${method}: model is not a string`;
  return undefined;
}
