import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { tuneHeapForAnalysis } from '../text/heap.js';
import { startServer } from './server.js';

/** Starts the language server; the transport (--stdio, --node-ipc, --socket=N) comes from the command line. */
export function runLanguageServer(): void {
  tuneHeapForAnalysis();
  startServer(createConnection(ProposedFeatures.all));
}
