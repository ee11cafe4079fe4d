import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { tuneHeapForAnalysis } from '../text/heap.js';
import { startServer } from './server.js';

tuneHeapForAnalysis();
// The transport (--stdio, --node-ipc, --socket=N) comes from the command line.
startServer(createConnection(ProposedFeatures.all));
