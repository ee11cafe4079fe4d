// @ts-check
// The Restricted Mode pass (test/e2e/run.mjs): the extension host loads this in
// a workbench where workspace trust is on and the workspace is not trusted.
// Its tests are here, apart from ../suite/, whose tests expect a trusted workspace.
const { runFolder } = require('../suite/index.cjs');

/** @returns {Promise<void>} */
function run() {
  return runFolder(__dirname);
}

module.exports = { run };
