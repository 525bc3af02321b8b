import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A kept payload belongs to its workspace: event ids are chosen by producers, so two
 * workspaces may use the same one. Keyed by (workspace_id, event_id), every read names
 * the workspace — the log and redelivery never show or send another workspace's payload.
 */
export class EventPayloadsPerWorkspace1764462500000 implements MigrationInterface {
  name = 'EventPayloadsPerWorkspace1764462500000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE event_payloads DROP CONSTRAINT event_payloads_pkey;
      ALTER TABLE event_payloads ADD PRIMARY KEY (workspace_id, event_id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DELETE FROM event_payloads p USING event_payloads q
       WHERE p.event_id = q.event_id AND (p.received_at, p.workspace_id) > (q.received_at, q.workspace_id);
      ALTER TABLE event_payloads DROP CONSTRAINT event_payloads_pkey;
      ALTER TABLE event_payloads ADD PRIMARY KEY (event_id);
    `);
  }
}
