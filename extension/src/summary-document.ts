import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { summaryRequest } from '../../language-server/src/protocol/lsp-requests.js';
import { sendCustomRequest } from './requests.js';

/** The scheme of Layerlab's read-only summary documents. */
export const SUMMARY_SCHEME = 'layerlab-summary';

/**
 * Model summaries as read-only virtual documents: nothing to save, nothing asked
 * on close, and the text follows the .model file as it is edited. The URI names
 * the file (`<name> summary`) and carries the source and model in its query.
 */
export class SummaryDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Set<string>();

  constructor(private readonly client: LanguageClient) {}

  static uriFor(source: string, model: string | undefined): vscode.Uri {
    const name = source.split(/[\\/]/).pop() ?? 'model';
    const query = new URLSearchParams({ source, ...(model ? { model } : {}) }).toString();
    return vscode.Uri.from({ scheme: SUMMARY_SCHEME, path: `/${model ?? name.replace(/\.model$/, '')} summary`, query });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const params = new URLSearchParams(uri.query);
    const source = params.get('source') ?? '';
    const model = params.get('model') ?? undefined;
    this.open.add(uri.toString());
    const summary = await sendCustomRequest(this.client, summaryRequest, { uri: source, ...(model ? { model } : {}) });
    return summary ?? 'No model to summarise in this file.';
  }

  /** The .model file changed: its open summaries are asked for again. */
  sourceChanged(source: string): void {
    for (const text of this.open) {
      const uri = vscode.Uri.parse(text);
      if (new URLSearchParams(uri.query).get('source') === source) this.changed.fire(uri);
    }
  }

  closed(uri: vscode.Uri): void {
    this.open.delete(uri.toString());
  }
}
