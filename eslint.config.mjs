import nx from '@nx/eslint-plugin';

/** Libraries that only `platform-kafka` (and tests) may import: the rest of the code talks to Kafka through it. */
const KAFKA_CLIENT = ['kafkajs'];
/** Infrastructure that pure domain and contract code must never import. */
const INFRASTRUCTURE = ['@nestjs/*', 'typeorm', '@nestjs/typeorm', 'kafkajs', 'undici', 'pg', '@electric-sql/*', 'express', 'opossum'];

/**
 * What every bounded context may import: the shared webhook core (`scope:webhooks`:
 * webhooks/domain, the subscription view), the shared libs (`scope:shared`: contracts,
 * the testing harness, the embedded broker) and the platform libs.
 */
const SHARED_SCOPES = ['scope:webhooks', 'scope:shared', 'type:platform'];

/**
 * Architecture as lint rules (Nx tags in each project.json):
 *   app → feature → domain → contracts, with platform libs beside features;
 *   a bounded context (scope:*) imports only its own libs and the shared ones.
 * Only platform-kafka imports kafkajs; domain and contracts import no framework.
 */
const depConstraints = [
  {
    sourceTag: 'type:app',
    onlyDependOnLibsWithTags: ['type:feature', 'type:platform', 'type:contracts'],
    bannedExternalImports: KAFKA_CLIENT,
  },
  {
    sourceTag: 'type:feature',
    onlyDependOnLibsWithTags: ['type:feature', 'type:domain', 'type:platform', 'type:contracts'],
    bannedExternalImports: KAFKA_CLIENT,
  },
  {
    sourceTag: 'type:domain',
    onlyDependOnLibsWithTags: ['type:domain', 'type:contracts'],
    bannedExternalImports: INFRASTRUCTURE,
  },
  {
    sourceTag: 'type:contracts',
    onlyDependOnLibsWithTags: ['type:contracts'],
    bannedExternalImports: INFRASTRUCTURE,
  },
  {
    sourceTag: 'type:platform',
    onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:infra'],
  },
  // Bounded contexts: each imports its own libs and what all share, never another context's.
  { sourceTag: 'scope:ingest', onlyDependOnLibsWithTags: ['scope:ingest', ...SHARED_SCOPES] },
  { sourceTag: 'scope:fan-out', onlyDependOnLibsWithTags: ['scope:fan-out', ...SHARED_SCOPES] },
  { sourceTag: 'scope:delivery', onlyDependOnLibsWithTags: ['scope:delivery', ...SHARED_SCOPES] },
  { sourceTag: 'scope:retry', onlyDependOnLibsWithTags: ['scope:retry', ...SHARED_SCOPES] },
  // The Test button sends through the delivery worker's own sender (same SSRF guard, same signing): delivery-http is also `scope:webhook-sender`.
  { sourceTag: 'scope:subscriptions', onlyDependOnLibsWithTags: ['scope:subscriptions', 'scope:webhook-sender', ...SHARED_SCOPES] },
  { sourceTag: 'scope:webhooks', onlyDependOnLibsWithTags: SHARED_SCOPES },
  // The page (apps/web) runs in the browser: at most contract types, no server code.
  { sourceTag: 'scope:web', onlyDependOnLibsWithTags: ['type:contracts'], bannedExternalImports: [...INFRASTRUCTURE, ...KAFKA_CLIENT] },
  { sourceTag: 'scope:config', bannedExternalImports: KAFKA_CLIENT },
  { sourceTag: 'scope:database', bannedExternalImports: KAFKA_CLIENT },
  { sourceTag: 'scope:observability', bannedExternalImports: KAFKA_CLIENT },
  { sourceTag: 'scope:runtime', bannedExternalImports: KAFKA_CLIENT },
  // The embedded broker is self-contained: node builtins only (kafkajs is its tests' client).
  { sourceTag: 'type:infra', onlyDependOnLibsWithTags: [], bannedExternalImports: ['@nestjs/*', 'typeorm', 'undici', 'pg'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:platform', 'type:contracts', 'type:infra', 'type:testing'] },
  // Tooling (deploy/, tools/) may read the contracts (topic names, the catalog); its tests may use the testing harness.
  { sourceTag: 'type:tooling', onlyDependOnLibsWithTags: ['type:contracts'] },
];

/** Tests may use the testing harness and drive Kafka with kafkajs directly. */
const testDepConstraints = depConstraints.map((constraint) => ({
  ...constraint,
  ...(constraint.onlyDependOnLibsWithTags && { onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing', 'type:infra'] }),
  ...(constraint.bannedExternalImports && {
    bannedExternalImports: constraint.bannedExternalImports.filter((name) => name !== 'kafkajs'),
  }),
}));

const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts', '**/bench/**/*.ts', '**/*.fixture.ts'];

/**
 * subscription-service: services hold no SQL, repositories hold every query (decision 0120).
 * Outside `*.repository.ts` and migrations, no SQL string, query builder or TypeORM
 * repository, and no call on a transaction's EntityManager (`manager.…`): it is handed to
 * repository methods, never used. Tests may read and write the database directly.
 */
const NO_SQL_OUTSIDE_REPOSITORIES = {
  files: ['libs/subscriptions/feature/src/**/*.ts'],
  ignores: ['**/*.repository.ts', 'libs/subscriptions/feature/src/migrations/**', ...TEST_FILES],
  rules: {
    'no-restricted-syntax': [
      'error',
      ...[
        "CallExpression[callee.property.name=/^(query|createQueryBuilder|getRepository)$/]",
        "CallExpression[callee.object.name='manager']",
        "CallExpression[callee.object.property.name='manager']",
      ].map((selector) => ({ selector, message: 'SQL belongs in a *.repository.ts of the use case (decision 0120): call a repository method, passing the transaction\'s manager.' })),
    ],
  },
};

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  ...nx.configs['flat/javascript'],
  { ignores: ['**/dist', '**/node_modules', '.nx', '.data', 'tmp', 'coverage', '**/fixtures/boundary-violation/**'] },
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: true, allow: [], depConstraints: testDepConstraints }],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  NO_SQL_OUTSIDE_REPOSITORIES,
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
