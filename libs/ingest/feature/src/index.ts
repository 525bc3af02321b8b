export { EventIngestModule } from './event-ingest.module';
export { EventIngestService, type IngestResult } from './event-ingest.service';
export { INGEST_GROUP_ID } from './upstream-events.consumer';
