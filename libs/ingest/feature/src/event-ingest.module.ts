import { Module } from '@nestjs/common';
import { ApiKeyDirectory } from './api-key-directory';
import { EventIngestService } from './event-ingest.service';
import { EventsController } from './events.controller';
import { UPSTREAM_EVENTS_CONSUMER } from './upstream-events.consumer';

/** The event-ingest service: imported by apps/event-ingest and by apps/all-in-one. */
@Module({
  controllers: [EventsController],
  providers: [EventIngestService, ApiKeyDirectory, UPSTREAM_EVENTS_CONSUMER],
  exports: [EventIngestService],
})
export class EventIngestModule {}
