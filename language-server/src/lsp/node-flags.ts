/**
 * The young-generation size the language server runs with, in VS Code and from `layerlab lsp`.
 * Analysing a large file allocates about 3 KB per layer and keeps half of it until it is done
 * (31 MB and 14 MB for 10,000 layers). With Node's default young generation (16 MB), that
 * analysis is copied by scavenges and promoted to the old generation on the way, which doubles
 * its time (`npm run bench` prints both).
 */
export const serverNodeFlags: readonly string[] = ['--max-semi-space-size=32'];

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
