// @ts-check
// Reads the command line @vscode/test-electron's runTests gives a VS Code
// executable: launch args (a folder or .code-workspace), its own flags,
// --extensionDevelopmentPath=..., --extensionTestsPath=..., profile folders.
import { resolve } from 'node:path';

/**
 * @typedef {object} DriverArgs
 * @property {string[]} extensionDevelopmentPaths
 * @property {string} extensionTestsPath
 * @property {string | undefined} folder
 * @property {string | undefined} workspace
 * @property {string | undefined} userDataDir
 * @property {string | undefined} extensionsDir
 */

/**
 * Flags of desktop VS Code that mean nothing here (sandbox, updates, welcome) are ignored.
 * @param {string[]} argv
 * @returns {DriverArgs}
 */
export function parseDriverArgs(argv) {
  /** @type {string[]} */
  const extensionDevelopmentPaths = [];
  /** @type {string | undefined} */
  let extensionTestsPath;
  /** @type {string[]} */
  const positional = [];
  /** @type {Record<string, string>} */
  const profile = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = /** @type {string} */ (argv[i]);
    if (!arg.startsWith('--')) {
      positional.push(resolve(arg));
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const takesValue = ['extensionDevelopmentPath', 'extensionTestsPath', 'user-data-dir', 'extensions-dir'].includes(name);
    if (!takesValue) continue;
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new Error(`${arg} needs a value`);
    if (name === 'extensionDevelopmentPath') extensionDevelopmentPaths.push(resolve(value));
    else if (name === 'extensionTestsPath') extensionTestsPath = resolve(value);
    else profile[name] = resolve(value);
  }
  if (!extensionTestsPath) throw new Error('missing --extensionTestsPath=PATH');
  if (extensionDevelopmentPaths.length === 0) throw new Error('missing --extensionDevelopmentPath=PATH');
  const target = positional[0];
  const isWorkspaceFile = target?.endsWith('.code-workspace') ?? false;
  return {
    extensionDevelopmentPaths,
    extensionTestsPath,
    folder: isWorkspaceFile ? undefined : target,
    workspace: isWorkspaceFile ? target : undefined,
    userDataDir: profile['user-data-dir'],
    extensionsDir: profile['extensions-dir'],
  };
}
