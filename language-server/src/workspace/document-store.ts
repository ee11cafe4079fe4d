import { analyzeText, type FileAnalysis } from '../analysis/analyze-file.js';

interface Entry {
  readonly version: number;
  readonly text: string;
  analysis?: FileAnalysis;
}

/**
 * Analyses per document version, computed on first use and kept until the
 * next edit: every request for a version reads the same analysis, nothing
 * parses twice, and a closed document's memory is released.
 */
export class DocumentStore {
  private readonly entries = new Map<string, Entry>();

  set(uri: string, version: number, text: string): void {
    this.entries.set(uri, { version, text });
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  version(uri: string): number | undefined {
    return this.entries.get(uri)?.version;
  }

  analysis(uri: string): FileAnalysis | undefined {
    const entry = this.entries.get(uri);
    if (!entry) return undefined;
    entry.analysis ??= analyzeText(entry.text);
    return entry.analysis;
  }

  get size(): number {
    return this.entries.size;
  }
}
