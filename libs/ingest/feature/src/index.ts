export { EventIngestModule } from './event-ingest.module';
