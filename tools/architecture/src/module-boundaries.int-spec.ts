import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');

/**
 * The architecture rules are only worth something if lint really fails on a
 * crossing import. Each case lints a one-line file placed (virtually) inside
 * a real project and expects the boundary rule to report it.
 */
describe('module boundaries (eslint.config.mjs)', () => {
  let eslint: ESLint;

  beforeAll(() => {
    // The Nx rule silently skips itself without a project graph: make sure there is one.
    execFileSync(path.join(ROOT, 'node_modules/.bin/nx'), ['show', 'projects'], { cwd: ROOT, env: { ...process.env, NX_DAEMON: 'false' }, stdio: 'ignore' });
    eslint = new ESLint({ cwd: ROOT });
  }, 60_000);

  async function boundaryErrors(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(`${code}\nexport const probe = 1;\n`, { filePath: path.join(ROOT, file) });
    return result.messages.filter((message) => message.ruleId === '@nx/enforce-module-boundaries').map((message) => message.message);
  }

  it.each([
    ['a domain lib importing NestJS', 'libs/webhooks/domain/src/probe.ts', "import '@nestjs/common';", /"type:domain" is not allowed to import "@nestjs\/common"/],
    ['a domain lib importing TypeORM', 'libs/webhooks/domain/src/probe.ts', "import 'typeorm';", /"type:domain" is not allowed to import "typeorm"/],
    ['a domain lib importing the pg driver', 'libs/webhooks/domain/src/probe.ts', "import 'pg';", /"type:domain" is not allowed to import "pg"/],
    ['a domain lib importing a platform lib', 'libs/webhooks/domain/src/probe.ts', "import '@harmony/platform-kafka';", /can only depend on libs tagged with "type:domain", "type:contracts"/],
    ['the contracts lib importing NestJS', 'libs/contracts/src/probe.ts', "import '@nestjs/common';", /"type:contracts" is not allowed to import "@nestjs\/common"/],
    ['a platform lib other than kafka importing kafkajs', 'libs/platform/database/src/probe.ts', "import 'kafkajs';", /"scope:database" is not allowed to import "kafkajs"/],
    ['the embedded broker importing a platform lib', 'libs/kafka-embedded/src/probe.ts', "import '@harmony/platform-config';", /"type:infra" cannot depend on any libs/],
    ['ingest reaching into the subscriptions domain', 'libs/ingest/feature/src/probe.ts', "import '@harmony/subscriptions/domain';", /"scope:ingest" can only depend on libs tagged with "scope:ingest"/],
    ['fan-out importing the delivery worker', 'libs/fan-out/feature/src/probe.ts', "import '@harmony/delivery/feature';", /"scope:fan-out" can only depend on libs tagged with "scope:fan-out"/],
    ['the delivery worker importing the subscription-service', 'libs/delivery/feature/src/probe.ts', "import '@harmony/subscriptions/feature';", /"scope:delivery" can only depend on libs tagged with "scope:delivery"/],
    ['the retry scheduler importing fan-out', 'libs/retry/feature/src/probe.ts', "import '@harmony/fan-out/feature';", /"scope:retry" can only depend on libs tagged with "scope:retry"/],
    ['the subscription-service importing the delivery worker', 'libs/subscriptions/feature/src/probe.ts', "import '@harmony/delivery/feature';", /"scope:subscriptions" can only depend on libs tagged with "scope:subscriptions"/],
    ['the shared webhook core importing a context', 'libs/webhooks/domain/src/probe.ts', "import '@harmony/ingest/domain';", /"scope:webhooks" can only depend on libs tagged with "scope:webhooks"/],
    ['a test of one context importing another', 'libs/ingest/feature/src/probe.int-spec.ts', "import '@harmony/subscriptions/feature';", /"scope:ingest" can only depend on libs tagged with "scope:ingest"/],
  ])('rejects %s', async (_name, file, code, expected) => {
    const errors = await boundaryErrors(file, code);
    expect(errors.join('\n')).toMatch(expected);
  });

  it.each([
    ['a domain lib importing node:crypto', 'libs/webhooks/domain/src/probe.ts', "import 'node:crypto';"],
    ['platform-kafka importing kafkajs', 'libs/platform/kafka/src/probe.ts', "import 'kafkajs';"],
    ['a platform lib importing another', 'libs/platform/kafka/src/probe.ts', "import '@harmony/platform-config';"],
    ['the subscription-service importing the shared webhook core', 'libs/subscriptions/feature/src/probe.ts', "import '@harmony/webhooks/domain';"],
    ['the subscription-service sending through the worker\'s sender', 'libs/subscriptions/feature/src/probe.ts', "import '@harmony/delivery/http';"],
    ['fan-out importing the subscription view', 'libs/fan-out/feature/src/probe.ts', "import '@harmony/webhooks/subscription-view';"],
    ['ingest importing the contracts', 'libs/ingest/feature/src/probe.ts', "import '@harmony/contracts';"],
  ])('allows %s', async (_name, file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
