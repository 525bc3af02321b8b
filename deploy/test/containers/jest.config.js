// `npm run test:containers`: the pipeline on real Apache Kafka and PostgreSQL
// in containers (testcontainers). Not part of `npm test`: it needs a Docker
// engine, and says clearly that it skipped when there is none.
module.exports = {
  ...require('../../../jest.preset.js'),
  displayName: 'containers',
  rootDir: __dirname,
  testMatch: ['**/*.containers-spec.ts'],
};
