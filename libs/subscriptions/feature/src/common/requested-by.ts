import type { RequestedBy } from '@harmony/contracts';
import type { Actor } from '@harmony/subscriptions/domain';

/** Who asked, for the marks on a manual send's attempts. */
export function requestedByOf(actor: Actor): RequestedBy {
  return { apiKeyId: actor.apiKey?.id ?? 'unknown', apiKeyName: actor.apiKey?.name ?? 'unknown', memberId: actor.memberId };
}
