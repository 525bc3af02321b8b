import type { EventEnvelope } from '../envelope/envelope.schema';
import { newId } from '../schema/new-id';
import type { DeliveryJob, RequestedBy } from './delivery-job.schema';

export interface NewDeliveryJob {
  /** The webhook to deliver to; the job is in its workspace and keyed by its id. */
  subscription: { id: string; workspaceId: string };
  event: EventEnvelope;
  /** `new` from fan-out; `recovery` for a redelivery or recovery someone asked for. */
  reason: 'new' | 'recovery';
  /** Who asked (a manual send): its attempts are marked with it. */
  requestedBy?: RequestedBy;
  now?: Date;
}

/**
 * A new delivery job (on `webhooks.deliveries`): a fresh job id, attempt 1,
 * due now. Retries and deferrals carry the job on (same id and event) with
 * their attempt, `notBefore` and reason.
 */
export function deliveryJob(input: NewDeliveryJob): DeliveryJob {
  return {
    jobId: newId('job'),
    subscriptionId: input.subscription.id,
    workspaceId: input.subscription.workspaceId,
    event: input.event,
    attempt: 1,
    firstAttemptAt: null,
    notBefore: null,
    reason: input.reason,
    enqueuedAt: (input.now ?? new Date()).toISOString(),
    ...(input.requestedBy ? { requestedBy: input.requestedBy } : {}),
  };
}
