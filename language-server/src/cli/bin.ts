import { tuneHeapForAnalysis } from '../text/heap.js';
import { runCli } from './main.js';

tuneHeapForAnalysis();
process.exitCode = runCli(process.argv.slice(2));
