// `npm run test:crash`: the crash ledgers. Whole processes (the five services,
// the all-in-one app, the broker) are killed with SIGKILL mid-stream and
// restarted; every published event must still be delivered. Not part of
// `npm test` (they kill and restart processes for minutes); .ci/run runs them.
module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'crash',
  rootDir: __dirname,
  testMatch: ['**/*.crash-spec.ts'],
  // Suites are sequential: each one loads the 2-core machine on its own.
  maxWorkers: 1,
};
