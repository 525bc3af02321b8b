import { Injectable } from '@nestjs/common';
import { EventPayloadRepository, type ReceivedEvent } from './event-payload.repository';

/**
 * Keeps the payloads of events from `webhooks.events.*` that some webhook may
 * receive, so the log can show the body sent and redelivery can send it again.
 */
@Injectable()
export class EventPayloadsService {
  constructor(private readonly repository: EventPayloadRepository) {}

  store(events: ReceivedEvent[]): Promise<void> {
    return this.repository.storeWanted(events);
  }
}
