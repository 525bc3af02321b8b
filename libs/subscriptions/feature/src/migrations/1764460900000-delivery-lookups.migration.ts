import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lookups by event (decision 0111): every attempt of one event across a workspace's
 * webhooks, newest first; and the receiver's response headers (bounded by the worker),
 * null on rows written before.
 */
export class DeliveryLookups1764460900000 implements MigrationInterface {
  name = 'DeliveryLookups1764460900000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE delivery_attempts ADD COLUMN response_headers jsonb;
      CREATE INDEX delivery_attempts_workspace_event ON delivery_attempts (workspace_id, event_id, finished_at DESC, id DESC);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX delivery_attempts_workspace_event; ALTER TABLE delivery_attempts DROP COLUMN response_headers;');
  }
}
