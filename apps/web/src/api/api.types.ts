/* The shapes of the subscription-service REST API the page uses (see /openapi.json). */
import type { CreateWebhookInput } from '@harmony/contracts/api';

export type {
  CreatedWebhook,
  Delivery,
  DeliveryPage,
  EndpointHealth,
  EndpointHealthSummary,
  EventTypeCategory as EventCategory,
  EventTypeInfo,
  FieldError,
  HealthWindow,
  RecoverResult,
  Redelivered,
  Secret,
  Secrets,
  TestResult,
  UpdateWebhookInput,
  Webhook,
  WebhookPage,
} from '@harmony/contracts/api';

/** What the webhook form sends. */
export type WebhookInput = Required<Pick<CreateWebhookInput, 'name' | 'description' | 'url' | 'events'>>;

export interface DeliveryFilter {
  eventId?: string;
  outcome?: string;
  eventType?: string;
  operational?: 'true' | 'false';
  cursor?: string;
  limit?: number;
}

export interface WebhookFilter {
  search?: string;
  enabled?: '' | 'true' | 'false';
  eventType?: string;
  operational?: 'true' | 'false';
  cursor?: string;
  limit?: number;
}
