/**
 * The Node flags the language server runs with, in VS Code and from `layerlab lsp`.
 *
 * Analysing a file allocates about 3 KB per layer and keeps half of it until it is done (62 MB
 * and 28 MB at 20,000 layers, the most a model may expand to). A scavenge during an analysis
 * copies what it has built so far and promotes it to the old generation, which doubles the
 * time once the analysis outgrows the young generation: Node's default (16 MB) above about
 * 5,000 layers, 32 MB above 10,000. So the young generation may grow to 64 MB (V8 grows it only
 * as far as allocation needs: up to 1,000 layers the server's memory is the same as with the
 * default), and `--expose-gc` lets the document store empty it before an analysis that would
 * not fit in what is left (workspace/young-generation.ts). `npm run bench` prints the scaling
 * with Node's defaults and with these.
 */
export const serverNodeFlags: readonly string[] = ['--max-semi-space-size=64', '--expose-gc'];

const flagName = (flag: string) => flag.split('=')[0] ?? flag;

/**
 * The Node arguments to start the server again with `serverNodeFlags`, or undefined when this
 * process already has them (from its own arguments or `NODE_OPTIONS`), or when it talks over an
 * IPC channel that a new process would not inherit (the client that opened it chose the flags).
 */
export function relaunchWithServerFlags(execArgv: readonly string[], nodeOptions: string | undefined, script: string, args: readonly string[]): string[] | undefined {
  if (args.includes('--node-ipc')) return undefined;
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].map(flagName);
  const missing = serverNodeFlags.filter((flag) => !given.includes(flagName(flag)));
  if (missing.length === 0) return undefined;
  return [...execArgv, ...missing, script, ...args];
}
