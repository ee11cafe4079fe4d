import { analyzeText, type FileAnalysis } from '../language-server/src/analysis/analyze-file.js';

/**
 * Text with a cursor marker: `<|>` marks an offset (removed from the text).
 * Tests then read like what a user types.
 */
export function withCursor(marked: string): { analysis: FileAnalysis; offset: number; text: string } {
  const offset = marked.indexOf('<|>');
  if (offset < 0) throw new Error('fixture needs a <|> cursor marker');
  const text = marked.slice(0, offset) + marked.slice(offset + 3);
  return { analysis: analyzeText(text), offset, text };
}

export function sliceOf(text: string, range: { start: number; end: number }): string {
  return text.slice(range.start, range.end);
}
