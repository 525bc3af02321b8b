// Shared Jest settings for every project: SWC (with decorator metadata for
// Nest DI) instead of ts-jest, and the tsconfig path aliases as module names.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[/\\^$.*+?()[\]{}|-]/g, '\\$&')}$`] = path.join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/?(*.)+(spec|int-spec|e2e-spec).ts'],
  // For tests and hooks that set none (Jest's own is 5 s): an integration spec's afterAll stops
  // consumers one after another, each waiting for its fetch in flight (0–2 s, the idle fetch
  // wait): event-ingest.int-spec's took 6 s and failed CI's rehearsal (2026-11-30).
  testTimeout: 30_000,
};
