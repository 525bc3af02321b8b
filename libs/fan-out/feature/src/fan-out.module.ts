import { Module } from '@nestjs/common';
import { SubscriptionViewModule } from '@harmony/webhooks/subscription-view';
import { EVENTS_CONSUMER } from './events.consumer';
import { FanOutService } from './fan-out.service';

/** The fan-out service: imported by apps/fan-out and by apps/all-in-one. */
@Module({
  imports: [SubscriptionViewModule],
  providers: [FanOutService, EVENTS_CONSUMER],
  exports: [FanOutService],
})
export class FanOutModule {}
