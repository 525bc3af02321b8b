import type { DeliveryJob, SubscriptionRecord } from '@harmony/contracts';
import { ownerMaySee } from '@harmony/webhooks/domain';

export const DROP_REASONS = ['subscription_deleted', 'subscription_disabled', 'owner_lost_access'] as const;
export type DropReason = (typeof DROP_REASONS)[number];

const DESCRIPTIONS: Record<DropReason, string> = {
  subscription_deleted: 'the webhook was deleted while this retry was waiting',
  subscription_disabled: 'the webhook was disabled while this retry was waiting',
  owner_lost_access: "the webhook's owner may no longer see this event",
};

/**
 * Why a retry that has come due must not be sent any more, or `null` to send
 * it: the webhook is gone or disabled, or its owner lost sight of the event
 * (webhook data follows workspace permissions on every attempt, not only the first).
 */
export function dropReason(job: Pick<DeliveryJob, 'event'>, subscription: SubscriptionRecord | undefined): DropReason | null {
  if (!subscription) return 'subscription_deleted';
  if (!subscription.enabled) return 'subscription_disabled';
  if (!ownerMaySee(subscription.owner, job.event)) return 'owner_lost_access';
  return null;
}

export function describeDropReason(reason: DropReason): string {
  return DESCRIPTIONS[reason];
}
