// Makes the threaded build of @tensorflow/tfjs-backend-wasm run under Node.js.
//
// tfjs-backend-wasm 4.22 ships a threaded SIMD binary but cannot start its threads
// under Node: its worker script and its main script reach the workers as `blob:`
// URLs, which Node's worker_threads cannot load, and its C++ side sizes the thread
// pool as logical cores / 2 (1 on a two-core machine, whatever was asked for). The
// capability flag (WASM_HAS_MULTITHREAD_SUPPORT, false under Node) is set by the
// trainer at run time, not here.
//
// `patchWasmBackendForNode` rewrites the package's Node bundle (dist/tf-backend-wasm.node.js)
// when esbuild bundles the trainer: under Node, the workers load two files that
// the build writes next to the .wasm binaries (`nodeThreadFiles`), and the core
// count the C++ side halves is doubled, so a pool of N threads is N threads. Each
// edit must match exactly once, or the build fails naming it: a new tfjs version
// is then looked at, not silently left single-threaded.

/** The patched bundle exports this as true; the trainer enables threads only then. */
export const NODE_THREADS_MARKER = 'nodeThreads';

/** Files written next to the .wasm binaries for the workers (name → how to make its text). */
export const WORKER_SCRIPT = 'tfjs-backend-wasm-threaded-simd.worker.cjs';
export const MAIN_SCRIPT = 'tfjs-backend-wasm-threaded-simd.js';

const edits = [
  {
    name: 'worker script as a file',
    find: "if (path.endsWith('.worker.js')) {",
    replace: `if (path.endsWith('.worker.js') && tfjsCore.env().get('IS_NODE')) {\n                                    return (wasmPathPrefix != null ? wasmPathPrefix : prefix) + '${WORKER_SCRIPT}';\n                                }\n                                if (path.endsWith('.worker.js')) {`,
  },
  {
    name: 'main script as a file',
    find: 'factoryConfig.mainScriptUrlOrBlob = new Blob(',
    replace: `factoryConfig.mainScriptUrlOrBlob = tfjsCore.env().get('IS_NODE') ? (wasmPathPrefix != null ? wasmPathPrefix : '') + '${MAIN_SCRIPT}' : new Blob(`,
  },
  {
    name: 'pool of the requested size',
    find: 'var pthreadPoolSize = 8;',
    replace: 'var pthreadPoolSize = Module["layerlabPoolSize"] || 8;',
  },
  {
    name: 'pool size handed to the module',
    find: 'var factoryConfig = {};',
    replace: 'var factoryConfig = { layerlabPoolSize: threadsCount > 0 ? threadsCount : 0 };',
  },
  {
    name: 'all logical cores',
    find: 'if (ENVIRONMENT_IS_NODE)\n                return require$$4.cpus().length;',
    // backend.cc sizes the pool as min(requested, logical cores / 2, …), assuming two hardware threads per core.
    replace: 'if (ENVIRONMENT_IS_NODE)\n                return 2 * require$$4.cpus().length;',
  },
  {
    name: 'marker export',
    find: 'exports.setThreadsCount = setThreadsCount;',
    replace: `exports.setThreadsCount = setThreadsCount;\nexports.${NODE_THREADS_MARKER} = true;`,
  },
];

/** The patched text of tf-backend-wasm.node.js; throws naming the first edit that does not match exactly once. */
export function patchWasmBackendForNode(source) {
  let text = source;
  for (const edit of edits) {
    const first = text.indexOf(edit.find);
    if (first < 0 || text.indexOf(edit.find, first + 1) >= 0) {
      throw new Error(`wasm-node-threads: the edit '${edit.name}' does not match tf-backend-wasm.node.js exactly once; was @tensorflow/tfjs-backend-wasm upgraded?`);
    }
    text = text.slice(0, first) + edit.replace + text.slice(first + edit.find.length);
  }
  return text;
}

/**
 * The two scripts the workers load under Node, from the installed package: the worker
 * script (which the package carries as a string in wasm-out/*.worker.js) and the
 * threaded module's glue (wasm-out/tfjs-backend-wasm-threaded-simd.js, as emscripten wrote it).
 * `packageDir` is the package's folder; `require` a CommonJS require.
 */
export function nodeThreadFiles(packageDir, require) {
  const { wasmWorkerContents } = require(`${packageDir}/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js`);
  if (typeof wasmWorkerContents !== 'string') throw new Error('wasm-node-threads: the worker script was not found in wasm-out');
  const fs = require('node:fs');
  return {
    // The package's template literal turned the source's "\n" escapes into newlines; put them back.
    [WORKER_SCRIPT]: wasmWorkerContents.replace(/\n/g, '\\n'),
    [MAIN_SCRIPT]: fs.readFileSync(`${packageDir}/wasm-out/${MAIN_SCRIPT}`, 'utf8'),
  };
}
