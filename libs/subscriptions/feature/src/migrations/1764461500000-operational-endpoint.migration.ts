import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Operational notifications (decision 0115): the workspace's one operational
 * endpoint, and what was already told about each webhook, so every occurrence
 * is announced once.
 */
export class OperationalEndpoint1764461500000 implements MigrationInterface {
  name = 'OperationalEndpoint1764461500000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE subscriptions ADD COLUMN operational boolean NOT NULL DEFAULT false;
      ALTER TABLE subscriptions ADD COLUMN failure_notified_at timestamptz;
      ALTER TABLE subscriptions ADD COLUMN url_refusal_notified text;
      CREATE UNIQUE INDEX subscriptions_one_operational_per_workspace ON subscriptions (workspace_id) WHERE operational;
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DROP INDEX subscriptions_one_operational_per_workspace;
      ALTER TABLE subscriptions DROP COLUMN url_refusal_notified;
      ALTER TABLE subscriptions DROP COLUMN failure_notified_at;
      ALTER TABLE subscriptions DROP COLUMN operational;
    `);
  }
}
