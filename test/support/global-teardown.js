/** Jest `globalTeardown`: removes the run's temp folder (global-setup.js), and only that. */
const { rmSync } = require('node:fs');

module.exports = async function globalTeardown() {
  const root = process.env.COOP_IDC_JEST_TMP;
  if (root) rmSync(root, { recursive: true, force: true });
};
