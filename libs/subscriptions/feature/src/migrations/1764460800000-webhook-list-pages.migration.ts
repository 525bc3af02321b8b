import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Keyset pages of the webhook list: a workspace's (admins) and a member's own (decision 0110). */
export class WebhookListPages1764460800000 implements MigrationInterface {
  name = 'WebhookListPages1764460800000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE INDEX subscriptions_workspace_page ON subscriptions (workspace_id, created_at, id);
      CREATE INDEX subscriptions_owner_page ON subscriptions (workspace_id, owner_member_id, created_at, id);
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX subscriptions_owner_page; DROP INDEX subscriptions_workspace_page;');
  }
}
