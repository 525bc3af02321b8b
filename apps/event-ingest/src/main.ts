import { EventIngestModule } from '@harmony/ingest/feature';
import { runService } from '@harmony/platform-runtime';

void runService({ name: 'event-ingest', modules: [EventIngestModule] });
