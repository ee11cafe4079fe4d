/**
 * The young-generation size the language server runs with, in VS Code and from `layerlab lsp`.
 * Analysing a file allocates about 3 KB per layer and keeps half of it until it is done (62 MB
 * and 28 MB at 20,000 layers, the most a model may expand to). When that outgrows the young
 * generation, scavenges copy the live analysis and promote it on the way, which doubles the
 * time: Node's default (16 MB) does so above about 5,000 layers, 32 MB above 10,000, 64 MB not.
 * V8 grows the young generation only as far as allocation needs: up to 1,000 layers the server's
 * memory is the same as with the default. `npm run bench` prints the scaling with both.
 */
export const serverNodeFlags: readonly string[] = ['--max-semi-space-size=64'];

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
