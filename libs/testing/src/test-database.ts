import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  /** A postgres:// URL of a fresh, empty database, or null for PGlite. */
  url: string | null;
  /** PGlite's directory when url is null. */
  pgliteDir: string;
  /** Human-readable: which engine this suite runs on. */
  engine: 'postgresql' | 'pglite';
  drop(): Promise<void>;
}

/**
 * The database a suite runs on: a fresh database on the real server when
 * DATABASE_URL is set (CI runs every suite both ways), otherwise an in-memory
 * PGlite. Each suite gets its own, so suites run in parallel.
 */
export async function createTestDatabase(serverUrl = process.env['DATABASE_URL']): Promise<TestDatabase> {
  if (!serverUrl) {
    return { url: null, pgliteDir: 'memory://', engine: 'pglite', drop: async () => undefined };
  }
  const name = `hw_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withAdmin(serverUrl, (client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    pgliteDir: 'memory://',
    engine: 'postgresql',
    drop: () => withAdmin(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withAdmin<T>(serverUrl: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
