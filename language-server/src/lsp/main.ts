import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';

/** Starts the language server; the transport (--stdio, --node-ipc, --socket=N) comes from the command line. */
export function runLanguageServer(): void {
  startServer(createConnection(ProposedFeatures.all));
}
