import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { eventually, runToExit, tempDir } from '@harmony/testing';
import { PGliteThread } from './pglite-thread';

describe('PGliteThread (PGlite on a thread of its own)', () => {
  let db: PGliteThread;

  beforeAll(async () => {
    db = await PGliteThread.start({ dataDir: 'memory://' });
  }, 30_000);

  afterAll(async () => {
    await db?.close();
  });

  it('answers with rows parsed on the thread (int8 as a string, timestamptz as a Date)', async () => {
    const result = await db.query('SELECT $1::int8 AS n, $2::timestamptz AS at, $3::jsonb AS doc', ['9007199254740993', new Date(0), JSON.stringify({ a: [1] })]);
    expect(result.rows).toEqual([{ n: '9007199254740993', at: new Date(0), doc: { a: [1] } }]);
    expect((result.rows[0] as { at: unknown }).at).toBeInstanceOf(Date);
  });

  it('runs with 16 MB of shared_buffers, not 128 (its WebAssembly memory never shrinks: decision 0104)', async () => {
    expect((await db.query('SHOW shared_buffers')).rows).toEqual([{ shared_buffers: '16MB' }]);
  });

  it('runs its thread with a young generation of 12 MB, not up to 48 (it stays committed once grown: decision 0104, session 6)', () => {
    expect(db.resourceLimits.maxYoungGenerationSizeMb).toBe(12);
  });

  it("rejects with PostgreSQL's fields on the error", async () => {
    await db.exec('CREATE TABLE thread_unique (id int PRIMARY KEY)');
    await db.query('INSERT INTO thread_unique VALUES ($1)', [1]);
    const error: unknown = await db.query('INSERT INTO thread_unique VALUES ($1)', [1]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ message: 'duplicate key value violates unique constraint "thread_unique_pkey"', code: '23505', constraint: 'thread_unique_pkey', detail: 'Key (id)=(1) already exists.' });
  });

  it('fails only the call whose values cannot cross threads', async () => {
    await expect(db.query('SELECT $1::text AS t', [() => 'a function'])).rejects.toThrow();
    expect((await db.query('SELECT $1::text AS t', ['still answering'])).rows).toEqual([{ t: 'still answering' }]);
  });

  it('hears a NOTIFY once committed, and nothing once it stopped listening', async () => {
    const heard: string[] = [];
    const unlisten = await db.listen('thread_channel', (payload) => heard.push(payload));
    await db.exec("BEGIN; SELECT pg_notify('thread_channel', 'one'); COMMIT;");
    await eventually(() => expect(heard).toEqual(['one']));
    await unlisten();
    await db.query("SELECT pg_notify('thread_channel', 'two')");
    // Replies come in order after notifications: one more round trip has seen any late one.
    await db.query('SELECT 1');
    expect(heard).toEqual(['one']);
  });

  it('refuses calls once closed', async () => {
    const closing = await PGliteThread.start({ dataDir: 'memory://' });
    await closing.close();
    await expect(closing.query('SELECT 1')).rejects.toThrow("PGlite's thread exited");
  }, 30_000);

  it("fails to start with PGlite's reason", async () => {
    const dir = tempDir('harmony-pglite-thread-');
    try {
      const notADirectory = path.join(dir.path, 'file');
      writeFileSync(notADirectory, 'not a data directory');
      await expect(PGliteThread.start({ dataDir: notADirectory })).rejects.toThrow();
    } finally {
      dir.remove();
    }
  }, 30_000);

  it('lets a process end by itself once its DataSource is destroyed, its data kept on disk', async () => {
    const dir = tempDir('harmony-pglite-thread-');
    try {
      const run = () => runToExit('libs/platform/database/src/test-fixtures/note-writer.ts', { NOTE_DIR: path.join(dir.path, 'pglite') }, 60_000);
      expect(await run()).toEqual({ code: 0, output: 'notes: 1\n' });
      expect(await run()).toEqual({ code: 0, output: 'notes: 2\n' });
    } finally {
      dir.remove();
    }
  }, 150_000);
});
