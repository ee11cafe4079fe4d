export declare const NODE_THREADS_MARKER: 'nodeThreads';
export declare const WORKER_SCRIPT: string;
export declare const MAIN_SCRIPT: string;
export declare function patchWasmBackendForNode(source: string): string;
export declare function nodeThreadFiles(packageDir: string, require: NodeJS.Require): Record<string, string>;
