import { EventEmitter } from 'node:events';
import type { PgliteSession } from './pglite-thread';

/**
 * Makes one PGlite (on its own thread: PGliteThread) look like the `pg` module
 * to TypeORM's postgres driver (`DataSourceOptions.driver`).
 *
 * PGlite is a single session, so the "pool" hands out one connection at a
 * time: a query runner holding a transaction owns the session until it is
 * released, and everyone else waits. Sharing the session (as typeorm-pglite
 * does) would let a concurrent request's writes land inside — and roll back
 * with — someone else's transaction. Results are shaped like `pg`'s
 * (`rowCount`, `command`, int8 as string: parsed on PGlite's thread) so the
 * same entities behave the same on PostgreSQL and PGlite.
 */
export function pgliteDriver(db: PgliteSession): PgliteDriver {
  const session = new SessionLock();
  return {
    Pool: class extends PGlitePool {
      constructor() {
        super(db, session);
      }
    },
    async listen(channel, onPayload) {
      // LISTEN takes the session like any statement: never inside someone else's open transaction.
      const release = await session.acquire();
      try {
        const unlisten = await db.listen(channel, onPayload);
        return async () => {
          const again = await session.acquire();
          try {
            await unlisten();
          } finally {
            again();
          }
        };
      } finally {
        release();
      }
    },
  };
}

export interface PgliteDriver {
  Pool: new (options: unknown) => PGlitePool;
  /** LISTEN on the one session: `onPayload` gets each NOTIFY's payload once its transaction committed. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
}

type Callback<T> = (error: Error | null, result?: T) => void;

interface PgResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: { name: string; dataTypeID: number }[];
}

class SessionLock {
  private held = false;
  private readonly waiters: (() => void)[] = [];

  acquire(): Promise<() => void> {
    return new Promise((resolve) => {
      const grant = (): void => {
        this.held = true;
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          const next = this.waiters.shift();
          if (next) next();
          else this.held = false;
        });
      };
      if (this.held) this.waiters.push(grant);
      else grant();
    });
  }
}

class PGliteConnection extends EventEmitter {
  constructor(private readonly db: PgliteSession) {
    super();
  }

  query(sql: string, params?: unknown[] | Callback<PgResult>, callback?: Callback<PgResult>): Promise<PgResult> {
    const cb = typeof params === 'function' ? params : callback;
    const values = Array.isArray(params) ? params : undefined;
    const result = this.run(sql, values);
    if (cb) result.then((value) => cb(null, value), (error: Error) => cb(error));
    return result;
  }

  private async run(sql: string, values: unknown[] | undefined): Promise<PgResult> {
    const command = (/^\s*(\w+)/.exec(sql)?.[1] ?? '').toUpperCase();
    if (values && values.length > 0) {
      const result = await this.db.query(sql, values);
      return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length, command, fields: result.fields };
    }
    // Without parameters a string may hold several statements (migrations); pg answers with the last.
    const results = await this.db.exec(sql);
    const last = results[results.length - 1];
    return {
      rows: last?.rows ?? [],
      rowCount: last?.affectedRows ?? last?.rows.length ?? 0,
      command,
      fields: last?.fields ?? [],
    };
  }
}

export class PGlitePool extends EventEmitter {
  private readonly connection: PGliteConnection;

  constructor(
    private readonly db: PgliteSession,
    private readonly session: SessionLock,
  ) {
    super();
    this.connection = new PGliteConnection(db);
  }

  connect(callback: (error: Error | null, connection?: PGliteConnection, release?: () => void) => void): void {
    this.session.acquire().then(
      (release) => callback(null, this.connection, release),
      (error: Error) => callback(error),
    );
  }

  async query(sql: string, params?: unknown[], callback?: Callback<PgResult>): Promise<PgResult> {
    const release = await this.session.acquire();
    try {
      return await this.connection.query(sql, params, callback);
    } finally {
      release();
    }
  }

  end(callback?: (error?: Error) => void): void {
    this.db.close().then(() => callback?.(), (error: Error) => callback?.(error));
  }
}
