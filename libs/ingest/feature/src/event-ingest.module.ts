import { Module } from '@nestjs/common';
import { EventIngestService } from './event-ingest.service';
import { UpstreamEventsConsumer } from './upstream-events.consumer';

/** The event-ingest service: imported by apps/event-ingest and by apps/all-in-one. */
@Module({
  providers: [EventIngestService, UpstreamEventsConsumer],
  exports: [EventIngestService],
})
export class EventIngestModule {}
