import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Attempts marked as a test send or a manual redelivery/recovery, with the API key that asked (decision 0112). */
export class AttemptMarks1764461000000 implements MigrationInterface {
  name = 'AttemptMarks1764461000000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE delivery_attempts ADD COLUMN trigger text CHECK (trigger IN ('test', 'manual'));
      ALTER TABLE delivery_attempts ADD COLUMN requested_by jsonb;
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('ALTER TABLE delivery_attempts DROP COLUMN requested_by; ALTER TABLE delivery_attempts DROP COLUMN trigger;');
  }
}
