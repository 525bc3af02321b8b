import { mkdirSync } from 'node:fs';
import { DataSource, type DataSourceOptions, type EntitySchema, type MixedList } from 'typeorm';
import { pgliteDriver } from './pglite-driver';
import { PGliteThread } from './pglite-thread';

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
    // Run by `migrate()` after initialisation, under a lock (TypeORM's own run takes none).
    migrationsRun: false,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    logging: ['error' as const, 'warn' as const, 'migration' as const],
  };
  if (options.url) {
    // At least two: `migrate()` holds the advisory lock on one connection while the migrations run on another.
    return { ...common, url: options.url, poolSize: Math.max(MIN_POOL_SIZE, options.poolSize ?? 10), applicationName: 'harmony-webhooks' };
  }
  if (options.pgliteDir !== 'memory://') mkdirSync(options.pgliteDir, { recursive: true });
  // On a thread of its own: PostgreSQL's work leaves the services' event loop free (decision 0102).
  return { ...common, driver: pgliteDriver(await PGliteThread.start({ dataDir: options.pgliteDir })) };
}

/** An initialised DataSource with every migration applied. */
export async function openDataSource(options: DatabaseOptions): Promise<DataSource> {
  const dataSource = await new DataSource(await createDataSourceOptions(options)).initialize();
  await migrate(dataSource);
  return dataSource;
}

const MIN_POOL_SIZE = 2;

/** Arbitrary but fixed: the advisory lock every replica takes to migrate ("hwks"). */
export const MIGRATION_LOCK_KEY = 0x68776b73;

/**
 * Applies pending migrations, one replica at a time: on PostgreSQL every
 * starting replica waits on one advisory lock, so two pods starting together
 * never run the same migration twice (the second finds nothing to do).
 * PGlite belongs to one process and has one session, so it needs no lock
 * (and holding one would take the only session the migrations need).
 */
export async function migrate(dataSource: DataSource): Promise<void> {
  if (isPglite(dataSource)) {
    await dataSource.runMigrations({ transaction: 'each' });
    return;
  }
  const lock = dataSource.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.release();
  }
}

function isPglite(dataSource: DataSource): boolean {
  return 'driver' in dataSource.options && dataSource.options.driver !== undefined;
}
