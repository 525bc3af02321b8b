import { Module } from '@nestjs/common';
import { EventsConsumer } from './events.consumer';
import { FanOutService } from './fan-out.service';

/** The fan-out service: imported by apps/fan-out and by apps/all-in-one. */
@Module({
  providers: [FanOutService, EventsConsumer],
  exports: [FanOutService, EventsConsumer],
})
export class FanOutModule {}
