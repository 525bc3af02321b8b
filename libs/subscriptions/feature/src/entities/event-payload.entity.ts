import type { EventEnvelope } from '@harmony/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Each event once per workspace (not per attempt), as fan-out saw it, so redeliver and
 * recover send the original bytes. Kept as long as the delivery log. Producers choose
 * event ids, so the key is (workspace, event id) and every read names the workspace.
 */
@Entity({ name: 'event_payloads' })
export class EventPayloadEntity {
  @PrimaryColumn({ type: 'text', name: 'workspace_id' })
  workspaceId!: string;

  @PrimaryColumn({ type: 'text', name: 'event_id' })
  eventId!: string;

  @Column({ type: 'text', name: 'event_type' })
  eventType!: string;

  /** The envelope as JSON text: jsonb would reorder keys and change the signed body. */
  @Column({ type: 'text' })
  envelope!: string;

  @Column({ type: 'timestamptz', name: 'received_at' })
  receivedAt!: Date;
}

export function parseEnvelope(row: EventPayloadEntity): EventEnvelope {
  return JSON.parse(row.envelope) as EventEnvelope;
}
