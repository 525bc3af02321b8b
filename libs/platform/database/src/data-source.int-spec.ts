import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@harmony/testing';
import { type DataSource, QueryFailedError } from 'typeorm';
import { openDataSource } from './data-source.factory';
import { CreateNote1700000000000 } from './test-fixtures/create-note.migration';
import { NoteEntity } from './test-fixtures/note.entity';

describe('openDataSource', () => {
  let db: TestDatabase;
  let dataSource: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    dataSource = await openDataSource({ url: db.url, pgliteDir: db.pgliteDir, entities: [NoteEntity], migrations: [CreateNote1700000000000] });
  }, 30_000);

  afterAll(async () => {
    await dataSource?.destroy();
    await db?.drop();
  });

  it('applies migrations at start and records them', async () => {
    const applied = await dataSource.query('SELECT name FROM migrations');
    expect(applied.map((row: { name: string }) => row.name)).toEqual(['CreateNote1700000000000']);
    expect(await dataSource.showMigrations()).toBe(false);
  });

  it('lets replicas starting together migrate one at a time (PostgreSQL: advisory lock)', async () => {
    if (db.engine !== 'postgresql') {
      // One PGlite belongs to one process: there are no concurrent replicas to order.
      console.log('skipped on PGlite: runs under npm run test:postgres');
      return;
    }
    const fresh = await createTestDatabase();
    try {
      const open = () => openDataSource({ url: fresh.url, pgliteDir: fresh.pgliteDir, entities: [NoteEntity], migrations: [CreateNote1700000000000] });
      const replicas = await Promise.all([open(), open(), open()]);
      const [applied] = await Promise.all(replicas.map((replica) => replica.query('SELECT count(*)::int AS n FROM migrations')));
      expect(applied).toEqual([{ n: 1 }]);
      await Promise.all(replicas.map((replica) => replica.destroy()));
    } finally {
      await fresh.drop();
    }
  }, 60_000);

  it('migrates with a pool of one asked for (the CLI): the lock and the migrations need a connection each', async () => {
    const fresh = await createTestDatabase();
    try {
      const small = await openDataSource({ url: fresh.url, pgliteDir: fresh.pgliteDir, entities: [NoteEntity], migrations: [CreateNote1700000000000], poolSize: 1 });
      try {
        expect(await small.query('SELECT count(*)::int AS n FROM migrations')).toEqual([{ n: 1 }]);
      } finally {
        await small.destroy();
      }
    } finally {
      await fresh.drop();
    }
  }, 60_000);

  it('round-trips entities the same way on both engines', async () => {
    const notes = dataSource.getRepository(NoteEntity);
    const id = randomUUID();
    await notes.insert({ id, body: 'hello', views: '9007199254740993', meta: { tags: ['a'] }, visible: false });
    const note = await notes.findOneByOrFail({ id });
    expect(note).toMatchObject({ id, body: 'hello', views: '9007199254740993', meta: { tags: ['a'] }, visible: false });
    expect(note.createdAt).toBeInstanceOf(Date);
    // pg reports affected rows for UPDATE and DELETE; TypeORM surfaces them.
    expect((await notes.update({ id }, { body: 'edited' })).affected).toBe(1);
    expect((await notes.delete({ id: 'note_missing' })).affected).toBe(0);
    expect((await notes.delete({ id })).affected).toBe(1);
  });

  it("reports a constraint violation with PostgreSQL's fields on both engines (code, detail, constraint)", async () => {
    const notes = dataSource.getRepository(NoteEntity);
    const id = randomUUID();
    await notes.insert({ id, body: 'first' });
    const error: unknown = await notes.insert({ id, body: 'again' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryFailedError);
    expect((error as QueryFailedError).message).toMatch(/^duplicate key value violates unique constraint "fixture_note_pkey"/);
    expect((error as QueryFailedError).driverError).toMatchObject({
      code: '23505',
      constraint: 'fixture_note_pkey',
      detail: `Key (id)=(${id}) already exists.`,
      table: 'fixture_note',
      severity: 'ERROR',
    });
  });

  it('keeps a rolled-back transaction from touching concurrent writes', async () => {
    const notes = dataSource.getRepository(NoteEntity);
    const outsideId = randomUUID();
    const failing = dataSource.transaction(async (manager) => {
      await manager.insert(NoteEntity, { id: randomUUID(), body: 'inside' });
      // Let the concurrent insert below run while this transaction is open.
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('abort');
    });
    const outside = notes.insert({ id: outsideId, body: 'outside' });
    await expect(failing).rejects.toThrow('abort');
    await outside;
    expect(await notes.findOneBy({ id: outsideId })).not.toBeNull();
    expect(await notes.countBy({ body: 'inside' })).toBe(0);
  });

  it('serialises concurrent transactions without losing updates', async () => {
    const notes = dataSource.getRepository(NoteEntity);
    const id = randomUUID();
    await notes.insert({ id, body: 'counter', views: '0' });
    await Promise.all(
      Array.from({ length: 10 }, () =>
        dataSource.transaction(async (manager) => {
          const [row] = await manager.query('SELECT views FROM fixture_note WHERE id = $1 FOR UPDATE', [id]);
          await manager.query('UPDATE fixture_note SET views = $2 WHERE id = $1', [id, Number(row.views) + 1]);
        }),
      ),
    );
    expect((await notes.findOneByOrFail({ id })).views).toBe('10');
  });
});
