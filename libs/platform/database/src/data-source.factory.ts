import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';
import { PGLITE_PARSERS, pgliteDriver } from './pglite-driver';

export interface DatabaseOptions {
  /** A postgres:// URL; null selects embedded PostgreSQL (PGlite). */
  url: string | null;
  /** PGlite's data directory, or 'memory://' for a throwaway database. */
  pgliteDir: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: MixedList<Function | string>;
  /** Connections in the pool on a real server. */
  poolSize?: number;
}

/**
 * The one place that decides between PostgreSQL and PGlite. Both get the same
 * entities and migrations; the schema is only ever changed by migrations.
 */
export async function createDataSourceOptions(options: DatabaseOptions): Promise<DataSourceOptions> {
  const common = {
    type: 'postgres' as const,
    entities: options.entities,
    migrations: options.migrations,
    migrationsRun: true,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error' as const, 'warn' as const, 'migration' as const],
  };
  if (options.url) {
    return { ...common, url: options.url, poolSize: options.poolSize ?? 10, applicationName: 'harmony-webhooks' };
  }
  if (options.pgliteDir !== 'memory://') mkdirSync(options.pgliteDir, { recursive: true });
  const db = await PGlite.create(options.pgliteDir, { parsers: PGLITE_PARSERS });
  return { ...common, driver: pgliteDriver(db) };
}

/** An initialised DataSource with every migration applied. */
export async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  return new DataSource(await createDataSourceOptions(options)).initialize();
}
