import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live page's changes, told by the database itself (decision 0117): a NOTIFY on
 * `webhooks_live` when a webhook row changes and when attempts are logged, sent with
 * the write's commit and heard by every replica. The payload names the workspace,
 * the webhook and its owner(s), never data: the page reads that through the API.
 */
export class LiveNotifications1764461700000 implements MigrationInterface {
  name = 'LiveNotifications1764461700000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE FUNCTION notify_webhook_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE changed subscriptions%ROWTYPE := CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
      BEGIN
        -- Identical payloads in one transaction are sent once: a write and its version bump make one.
        PERFORM pg_notify('webhooks_live', json_build_object(
          'kind', 'webhook', 'workspaceId', changed.workspace_id, 'webhookId', changed.id,
          'owners', CASE WHEN TG_OP = 'UPDATE' AND OLD.owner_member_id <> NEW.owner_member_id
                         THEN json_build_array(OLD.owner_member_id, NEW.owner_member_id)
                         ELSE json_build_array(changed.owner_member_id) END)::text);
        RETURN NULL;
      END $$;
      CREATE TRIGGER webhook_changed AFTER INSERT OR UPDATE OR DELETE ON subscriptions
        FOR EACH ROW EXECUTE FUNCTION notify_webhook_changed();

      -- Once per statement (a batch of up to 500 attempts), once per webhook in it.
      CREATE FUNCTION notify_attempts_logged() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('webhooks_live', json_build_object(
          'kind', 'delivery', 'workspaceId', logged.workspace_id, 'webhookId', logged.subscription_id,
          'owners', json_build_array(s.owner_member_id))::text)
          FROM (SELECT DISTINCT workspace_id, subscription_id FROM logged_rows) logged
          LEFT JOIN subscriptions s ON s.id = logged.subscription_id;
        RETURN NULL;
      END $$;
      CREATE TRIGGER attempts_inserted AFTER INSERT ON delivery_attempts
        REFERENCING NEW TABLE AS logged_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_attempts_logged();
      CREATE TRIGGER attempts_updated AFTER UPDATE ON delivery_attempts
        REFERENCING NEW TABLE AS logged_rows FOR EACH STATEMENT EXECUTE FUNCTION notify_attempts_logged();
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DROP TRIGGER attempts_updated ON delivery_attempts;
      DROP TRIGGER attempts_inserted ON delivery_attempts;
      DROP FUNCTION notify_attempts_logged();
      DROP TRIGGER webhook_changed ON subscriptions;
      DROP FUNCTION notify_webhook_changed();
    `);
  }
}
