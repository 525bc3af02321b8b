import type { MigrationInterface, QueryRunner } from 'typeorm';
import { HEALTH_ROLLUP_KEPT_MS, rollUpDeliveryLog } from '../health/endpoint-health.repository';

/**
 * Endpoint health rolled up from the delivery log (decision 0113): attempts per
 * webhook, hour, outcome and response-time bucket, and each webhook's last
 * error and breaker state. Filled from the log's last 8 days on the way up.
 */
export class EndpointHealth1764461100000 implements MigrationInterface {
  name = 'EndpointHealth1764461100000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      -- No foreign keys, like the log: attempts may arrive after a delete; retention trims both.
      CREATE TABLE endpoint_health_hours (
        subscription_id text NOT NULL,
        hour timestamptz NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'deferred')),
        -- width_bucket(duration_ms, RESPONSE_TIME_BOUNDS_MS); -1 for deferred (nothing sent).
        response_time_bucket smallint NOT NULL,
        workspace_id text NOT NULL,
        entries integer NOT NULL,
        PRIMARY KEY (subscription_id, hour, outcome, response_time_bucket)
      );
      CREATE INDEX endpoint_health_hours_retention ON endpoint_health_hours (hour);
      CREATE TABLE endpoint_health (
        subscription_id text PRIMARY KEY,
        workspace_id text NOT NULL,
        breaker_state text CHECK (breaker_state IN ('closed', 'open', 'half-open')),
        breaker_at timestamptz,
        last_error jsonb,
        last_error_at timestamptz
      );
    `);
    await rollUpDeliveryLog(runner, new Date(Date.now() - HEALTH_ROLLUP_KEPT_MS));
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE endpoint_health; DROP TABLE endpoint_health_hours;');
  }
}
