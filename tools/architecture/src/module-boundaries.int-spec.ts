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
  ])('rejects %s', async (_name, file, code, expected) => {
    const errors = await boundaryErrors(file, code);
    expect(errors.join('\n')).toMatch(expected);
  });

  it.each([
    ['a domain lib importing node:crypto', 'libs/webhooks/domain/src/probe.ts', "import 'node:crypto';"],
    ['platform-kafka importing kafkajs', 'libs/platform/kafka/src/probe.ts', "import 'kafkajs';"],
    ['a platform lib importing another', 'libs/platform/kafka/src/probe.ts', "import '@harmony/platform-config';"],
  ])('allows %s', async (_name, file, code) => {
    expect(await boundaryErrors(file, code)).toEqual([]);
  });
});
