import * as path from 'node:path';
import { ESLint } from 'eslint';

const ROOT = path.resolve(__dirname, '../../..');
const LIB = 'libs/subscriptions/feature/src';

/**
 * subscription-service's services hold no SQL (decision 0120): lint fails on a
 * query outside a repository. Each case lints a small file placed (virtually)
 * in the lib and reads what `no-restricted-syntax` reports.
 */
describe('no SQL outside repositories (eslint.config.mjs)', () => {
  const eslint = new ESLint({ cwd: ROOT });

  async function sqlErrors(file: string, body: string): Promise<string[]> {
    const code = `declare const manager: any;\ndeclare const dataSource: any;\ndeclare const repository: any;\nexport async function probe(): Promise<unknown> {\n  ${body}\n}\n`;
    const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
    return result.messages.filter((message) => message.ruleId === 'no-restricted-syntax').map((message) => message.message);
  }

  it.each([
    ['raw SQL on a transaction', "return manager.query('UPDATE subscriptions SET version = version + 1');"],
    ['an entity read on a transaction', 'return manager.findOneBy(Object, { id: 1 });'],
    ['an insert on a transaction', 'return manager.insert(Object, {});'],
    ['a TypeORM repository', 'return dataSource.getRepository(Object).find();'],
    ['a query builder', "return dataSource.createQueryBuilder().select('1').getRawOne();"],
    ["the DataSource's own manager", 'return dataSource.manager.find(Object);'],
    ['raw SQL on the DataSource', "return dataSource.query('SELECT 1');"],
  ])('rejects %s in a service', async (_name, body) => {
    expect((await sqlErrors(`${LIB}/webhooks/probe.service.ts`, body)).join('\n')).toMatch(/SQL belongs in a \*\.repository\.ts/);
  });

  it.each([
    ['a repository', `${LIB}/webhooks/probe.repository.ts`, "return manager.query('SELECT 1');"],
    ['a migration', `${LIB}/migrations/1700000000000-probe.migration.ts`, "return manager.query('SELECT 1');"],
    ['an integration test', `${LIB}/api/probe.int-spec.ts`, "return dataSource.query('SELECT 1');"],
    ['a service handing the transaction to a repository', `${LIB}/webhooks/probe.service.ts`, 'return dataSource.transaction((tx: unknown) => repository.find(tx, 1));'],
    ['find and delete that are not TypeORM', `${LIB}/webhooks/probe.service.ts`, 'return [[1].find(Boolean), new Map().delete(1)];'],
    ['another lib (not under this rule)', 'libs/ingest/feature/src/probe.ts', "return dataSource.query('SELECT 1');"],
  ])('allows %s', async (_name, file, body) => {
    expect(await sqlErrors(file, body)).toEqual([]);
  });
});
