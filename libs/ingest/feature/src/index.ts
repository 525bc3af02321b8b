export { EventIngestModule } from './event-ingest.module';
export { EventIngestService, type IngestResult } from './event-ingest.service';
export { INGEST_GROUP_ID, INGEST_READINESS_CHECK } from './upstream-events.consumer';
export { ApiKeyDirectory } from './api-key-directory';
export { EventsController, MAX_EVENTS_PER_REQUEST } from './events.controller';
