import { randomUUID } from 'node:crypto';
import { openDataSource } from '../data-source.factory';
import { CreateNote1700000000000 } from './create-note.migration';
import { NoteEntity } from './note.entity';

/**
 * A short-lived process on PGlite under NOTE_DIR: adds a note, prints how many
 * there are, destroys its DataSource and ends on its own (no process.exit).
 */
async function main(): Promise<void> {
  const dir = process.env['NOTE_DIR'];
  if (!dir) throw new Error('NOTE_DIR is required');
  const dataSource = await openDataSource({ url: null, pgliteDir: dir, entities: [NoteEntity], migrations: [CreateNote1700000000000] });
  await dataSource.getRepository(NoteEntity).insert({ id: randomUUID(), body: 'from a process' });
  process.stdout.write(`notes: ${await dataSource.getRepository(NoteEntity).count()}\n`);
  await dataSource.destroy();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
