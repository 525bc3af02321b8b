import { ApiKeyEntity } from './api-key.entity';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { EventPayloadEntity } from './event-payload.entity';
import { MemberEntity } from './member.entity';
import { OutboxMessageEntity } from './outbox-message.entity';
import { SigningSecretEntity } from './signing-secret.entity';
import { SubscriptionEntity } from './subscription.entity';
import { WorkspaceEntity } from './workspace.entity';

export {
  ApiKeyEntity,
  DeliveryAttemptEntity,
  EventPayloadEntity,
  MemberEntity,
  OutboxMessageEntity,
  SigningSecretEntity,
  SubscriptionEntity,
  WorkspaceEntity,
};
export { parseEnvelope } from './event-payload.entity';

export const SUBSCRIPTION_SERVICE_ENTITIES = [
  WorkspaceEntity,
  MemberEntity,
  ApiKeyEntity,
  SubscriptionEntity,
  SigningSecretEntity,
  DeliveryAttemptEntity,
  EventPayloadEntity,
  OutboxMessageEntity,
];
