import { EVENT_TOPICS, InvalidMessage } from '@harmony/contracts';
import { KafkaConsumers } from '@harmony/platform-kafka';
import { SubscriptionView } from '@harmony/webhooks/subscription-view';
import { FanOutService } from './fan-out.service';

export const FAN_OUT_GROUP_ID = 'webhooks.fan-out';
export const FAN_OUT_READINESS_CHECK = 'fan-out.subscriptions';
/** Nest token of fan-out's KafkaConsumers. */
export const FAN_OUT_CONSUMERS = 'fan-out.consumers';

/**
 * Consumes the events topics once the process's view of
 * `webhooks.subscriptions` has caught up: an event is never fanned out
 * against a half-built index. Readiness says which of the two it is.
 */
export const EVENTS_CONSUMER = KafkaConsumers.provide({
  provide: FAN_OUT_CONSUMERS,
  inject: [FanOutService, SubscriptionView],
  useFactory: (fanOut: FanOutService, view: SubscriptionView) => ({
    service: 'fan-out',
    after: [view],
    readiness: { name: FAN_OUT_READINESS_CHECK },
    bootWaitMs: SubscriptionView.BOOT_WAIT_MS,
    consumers: [
      {
        groupId: FAN_OUT_GROUP_ID,
        topics: [...EVENT_TOPICS],
        concurrency: 32,
        handle: async (message) => {
          await fanOut.fanOut(message, view.index);
        },
        onFailure: async (message, error) => {
          if (error instanceof InvalidMessage) return fanOut.reject(message, error.errors);
          // Not the record's fault (the producer failed, say): retry the partition from here, lose nothing.
          throw error;
        },
      },
    ],
  }),
});
