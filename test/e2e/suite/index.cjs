// @ts-check
// Loaded by the extension host (extensionTestsPath), which require()s it:
// CommonJS, hence .cjs in this "type": "module" package. Runs every *.test.cjs here with mocha;
// LAYERLAB_E2E_GREP=pattern runs only the tests whose suite and title match it.
// ../suite-restricted/index.cjs runs its own folder with runFolder.
const { readdirSync } = require('node:fs');
const { join } = require('node:path');
const Mocha = require('mocha');

/**
 * Runs every *.test.cjs of a folder, in name order.
 * @param {string} folder
 * @returns {Promise<void>}
 */
async function runFolder(folder) {
  const grep = process.env['LAYERLAB_E2E_GREP'];
  const mocha = new Mocha({ ui: 'tdd', reporter: 'spec', color: false, timeout: 30_000, ...(grep ? { grep } : {}) });
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.test.cjs')).sort()) mocha.addFile(join(folder, file));
  /** @type {number} */
  const failures = await new Promise((resolve) => mocha.run(resolve));
  if (failures > 0) throw new Error(`${failures} end-to-end test${failures === 1 ? '' : 's'} failed`);
}

/** @returns {Promise<void>} */
function run() {
  return runFolder(__dirname);
}

module.exports = { run, runFolder };
