import type { AttemptOutcome, RequestedBy } from '@harmony/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The delivery log: one row per attempt, from `webhooks.attempts` (id = the record's attemptId). */
@Entity({ name: 'delivery_attempts' })
export class DeliveryAttemptEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'workspace_id' })
  workspaceId!: string;

  @Column({ type: 'text', name: 'subscription_id' })
  subscriptionId!: string;

  @Column({ type: 'text', name: 'job_id' })
  jobId!: string;

  @Column({ type: 'text', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'text', name: 'event_type' })
  eventType!: string;

  @Column({ type: 'integer' })
  attempt!: number;

  @Column({ type: 'text' })
  outcome!: AttemptOutcome;

  @Column({ type: 'text' })
  url!: string;

  @Column({ type: 'integer', name: 'http_status', nullable: true })
  httpStatus!: number | null;

  @Column({ type: 'integer', name: 'duration_ms', nullable: true })
  durationMs!: number | null;

  @Column({ type: 'text', name: 'response_body', nullable: true })
  responseBody!: string | null;

  @Column({ type: 'boolean', name: 'response_body_truncated' })
  responseBodyTruncated!: boolean;

  /** Bounded by the worker (32 headers, 4 KiB); null on rows from before they were kept. */
  @Column({ type: 'jsonb', name: 'response_headers', nullable: true })
  responseHeaders!: Record<string, string> | null;

  /** `test` (the Test button) or `manual` (redeliver/recover); null for the pipeline's own attempts. */
  @Column({ type: 'text', nullable: true })
  trigger!: 'test' | 'manual' | null;

  @Column({ type: 'jsonb', name: 'requested_by', nullable: true })
  requestedBy!: RequestedBy | null;

  @Column({ type: 'text', name: 'error_code', nullable: true })
  errorCode!: string | null;

  @Column({ type: 'text', name: 'error_message', nullable: true })
  errorMessage!: string | null;

  @Column({ type: 'jsonb', name: 'request_headers' })
  requestHeaders!: Record<string, string>;

  @Column({ type: 'timestamptz', name: 'started_at' })
  startedAt!: Date;

  @Column({ type: 'timestamptz', name: 'finished_at' })
  finishedAt!: Date;

  @Column({ type: 'timestamptz', name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;
}
