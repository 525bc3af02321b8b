// `npm test` runs every project's Jest suite in one Jest run (parallel workers).
const fs = require('node:fs');
const path = require('node:path');

function findProjectConfigs(dir, depth) {
  if (depth < 0 || !fs.existsSync(dir)) return [];
  if (fs.existsSync(path.join(dir, 'jest.config.js')) && dir !== __dirname) return [path.join(dir, 'jest.config.js')];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules')
    .flatMap((entry) => findProjectConfigs(path.join(dir, entry.name), depth - 1));
}

module.exports = {
  // Global in a multi-project run: the projects' own (jest.preset.js) apply only when one config runs alone.
  testTimeout: require('./jest.preset.js').testTimeout,
  projects: [
    ...findProjectConfigs(path.join(__dirname, 'apps'), 1),
    ...findProjectConfigs(path.join(__dirname, 'tools'), 1),
    ...findProjectConfigs(path.join(__dirname, 'deploy'), 0),
    ...findProjectConfigs(path.join(__dirname, 'libs'), 2)],
};
