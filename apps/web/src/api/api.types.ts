/* The shapes of the subscription-service REST API the page uses (see /openapi.json). */
export type {
  Delivery,
  DeliveryPage,
  EndpointHealth,
  EndpointHealthSummary,
  EventTypeCategory as EventCategory,
  EventTypeInfo,
  FieldError,
  HealthWindow,
  Secret,
  TestResult,
  Webhook,
  WebhookPage,
} from '@harmony/contracts/api';

export interface WebhookInput {
  name: string;
  description: string | null;
  url: string;
  events: '*' | string[];
}

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
