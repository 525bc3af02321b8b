import { Module } from '@nestjs/common';

/** The event-ingest service: imported by apps/event-ingest and by apps/all-in-one. Its consumers arrive with the pipeline issue. */
@Module({})
export class EventIngestModule {}
