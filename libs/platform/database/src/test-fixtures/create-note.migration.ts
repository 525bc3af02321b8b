import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateNote1700000000000 implements MigrationInterface {
  name = 'CreateNote1700000000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE fixture_note (
        id text PRIMARY KEY,
        body text NOT NULL,
        views bigint NOT NULL DEFAULT 0,
        meta jsonb NOT NULL DEFAULT '{}'::jsonb,
        visible boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX fixture_note_created_at ON fixture_note (created_at);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE fixture_note');
  }
}
