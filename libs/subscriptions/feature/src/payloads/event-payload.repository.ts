import { Injectable } from '@nestjs/common';
import type { EventEnvelope } from '@harmony/contracts';
import { DataSource } from 'typeorm';
import { jsonRows } from '../common/json-rows';

/** An event as read from its topic: the envelope and the exact bytes it came as. */
export interface ReceivedEvent {
  envelope: EventEnvelope;
  raw: string;
}

/** Writes of event_payloads, the envelopes the delivery log shows and redelivery sends again. */
@Injectable()
export class EventPayloadRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores envelopes, each once, of events a subscription of its workspace may
   * want (listed type or all events): one statement.
   */
  async storeWanted(events: ReceivedEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO event_payloads (event_id, workspace_id, event_type, envelope)
       SELECT v.event_id, v.workspace_id, v.event_type, v.envelope
         FROM ${jsonRows({ event_id: 'text', workspace_id: 'text', event_type: 'text', envelope: 'text' })}
        WHERE EXISTS (SELECT 1 FROM subscriptions s WHERE s.workspace_id = v.workspace_id
                        AND (s.all_events OR s.event_types @> jsonb_build_array(v.event_type)))
       ON CONFLICT (workspace_id, event_id) DO NOTHING`,
      [JSON.stringify(events.map(({ envelope, raw }) => ({ event_id: envelope.id, workspace_id: envelope.workspaceId, event_type: envelope.type, envelope: raw })))],
    );
  }
}
