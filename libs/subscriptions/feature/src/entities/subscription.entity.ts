import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'subscriptions' })
export class SubscriptionEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'workspace_id' })
  workspaceId!: string;

  @Column({ type: 'text', name: 'owner_member_id' })
  ownerMemberId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** Lower-cased trimmed name: unique per workspace. */
  @Column({ type: 'text', name: 'name_key' })
  nameKey!: string;

  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Column({ type: 'text' })
  url!: string;

  /** Every event type, including ones added to the catalog later. */
  @Column({ type: 'boolean', name: 'all_events' })
  allEvents!: boolean;

  @Column({ type: 'jsonb', name: 'event_types' })
  eventTypes!: string[];

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'text', name: 'disabled_reason', nullable: true })
  disabledReason!: string | null;

  @Column({ type: 'timestamptz', name: 'disabled_at', nullable: true })
  disabledAt!: Date | null;

  @Column({ type: 'integer', name: 'rate_limit_per_second', nullable: true })
  rateLimitPerSecond!: number | null;

  @Column({ type: 'jsonb' })
  headers!: Record<string, string>;

  /** Bumped on every change; the published snapshot carries it. */
  @Column({ type: 'integer' })
  version!: number;

  /** Endpoint health: start of the current run of failed attempts. */
  @Column({ type: 'timestamptz', name: 'failing_since', nullable: true })
  failingSince!: Date | null;

  @Column({ type: 'timestamptz', name: 'last_attempt_at', nullable: true })
  lastAttemptAt!: Date | null;

  /** The workspace's operational endpoint: receives the webhook.* events about the other webhooks (one per workspace). */
  @Column({ type: 'boolean', default: false })
  operational!: boolean;

  /** When an operational event last said this webhook was failing; its next success announces the recovery. */
  @Column({ type: 'timestamptz', name: 'failure_notified_at', nullable: true })
  failureNotifiedAt!: Date | null;

  /** The URL an operational event already said the URL policy refuses (announced once per URL). */
  @Column({ type: 'text', name: 'url_refusal_notified', nullable: true })
  urlRefusalNotified!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
