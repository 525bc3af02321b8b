import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The subscription-service schema. Plain SQL that PostgreSQL and PGlite both run. */
export class SubscriptionSchema1764230400000 implements MigrationInterface {
  name = 'SubscriptionSchema1764230400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE workspaces (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      );

      CREATE TABLE members (
        id text PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        user_id text NOT NULL,
        display_name text NOT NULL,
        role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
        team_ids jsonb NOT NULL DEFAULT '[]'::jsonb,
        status text NOT NULL CHECK (status IN ('active', 'deactivated', 'removed')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, user_id)
      );

      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        member_id text NOT NULL REFERENCES members (id) ON DELETE CASCADE,
        name text NOT NULL,
        display_prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        scopes jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_used_at timestamptz,
        revoked_at timestamptz
      );
      CREATE INDEX api_keys_workspace ON api_keys (workspace_id, created_at);

      CREATE TABLE subscriptions (
        id text PRIMARY KEY,
        workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
        owner_member_id text NOT NULL REFERENCES members (id),
        name text NOT NULL,
        name_key text NOT NULL,
        description text,
        url text NOT NULL,
        all_events boolean NOT NULL,
        event_types jsonb NOT NULL DEFAULT '[]'::jsonb,
        enabled boolean NOT NULL DEFAULT true,
        disabled_reason text,
        disabled_at timestamptz,
        rate_limit_per_second integer,
        headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        version integer NOT NULL DEFAULT 1,
        failing_since timestamptz,
        last_attempt_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE UNIQUE INDEX subscriptions_workspace_name ON subscriptions (workspace_id, name_key);
      CREATE INDEX subscriptions_owner ON subscriptions (owner_member_id);

      CREATE TABLE signing_secrets (
        id text PRIMARY KEY,
        subscription_id text NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        secret text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz
      );
      CREATE INDEX signing_secrets_subscription ON signing_secrets (subscription_id);

      -- No foreign key to subscriptions: attempts may arrive after a delete, and the log is history.
      CREATE TABLE delivery_attempts (
        id text PRIMARY KEY,
        workspace_id text NOT NULL,
        subscription_id text NOT NULL,
        job_id text NOT NULL,
        event_id text NOT NULL,
        event_type text NOT NULL,
        attempt integer NOT NULL,
        outcome text NOT NULL,
        url text NOT NULL,
        http_status integer,
        duration_ms integer,
        response_body text,
        response_body_truncated boolean NOT NULL DEFAULT false,
        error_code text,
        error_message text,
        request_headers jsonb NOT NULL DEFAULT '{}'::jsonb,
        started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL,
        next_attempt_at timestamptz
      );
      -- Newest-first keyset pages of one webhook, unfiltered and filtered by outcome or event type.
      CREATE INDEX delivery_attempts_page ON delivery_attempts (subscription_id, finished_at DESC, id DESC);
      CREATE INDEX delivery_attempts_outcome_page ON delivery_attempts (subscription_id, outcome, finished_at DESC, id DESC);
      CREATE INDEX delivery_attempts_type_page ON delivery_attempts (subscription_id, event_type, finished_at DESC, id DESC);
      CREATE INDEX delivery_attempts_event ON delivery_attempts (subscription_id, event_id);
      CREATE INDEX delivery_attempts_retention ON delivery_attempts (finished_at);

      CREATE TABLE event_payloads (
        event_id text PRIMARY KEY,
        workspace_id text NOT NULL,
        event_type text NOT NULL,
        envelope text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX event_payloads_retention ON event_payloads (received_at);

      CREATE TABLE outbox (
        seq bigserial PRIMARY KEY,
        topic text NOT NULL,
        message_key text,
        value text,
        created_at timestamptz NOT NULL DEFAULT now()
      );
    `);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      DROP TABLE outbox;
      DROP TABLE event_payloads;
      DROP TABLE delivery_attempts;
      DROP TABLE signing_secrets;
      DROP TABLE subscriptions;
      DROP TABLE api_keys;
      DROP TABLE members;
      DROP TABLE workspaces;
    `);
  }
}
