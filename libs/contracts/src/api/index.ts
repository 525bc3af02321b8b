// @harmony/contracts/api: the REST API's shapes for the page (apps/web). It runs
// in the browser: values only from files without imports (no Node builtins, no
// Ajv), the zod-made shapes as types only (the page does not bundle zod).
export * from '../messages/attempt-outcome';
export * from './workspace-access';
export type { ApiKey, ApiKeyList, CreateApiKeyInput, CreatedApiKey } from './api-keys.api';
export type { Delivery, DeliveryPage } from './deliveries.api';
export type { Breaker, EndpointHealth, EndpointHealthSummary, HealthWindow, LastError } from './endpoint-health.api';
export type { ApiError, FieldError } from './errors.api';
export type { EventTypeCatalog, EventTypeCategory, EventTypeInfo } from './event-types.api';
export type { TestResult, TestUrlInput, TestWebhookInput } from './test-send.api';
export type { Member, MemberList } from './members.api';
export type { CreatedWebhook, EventSelection, LastDelivery, RecoverResult, Redelivered, Secret, Secrets, Webhook, WebhookHealth, WebhookOwner, WebhookPage } from './webhooks.api';
export type { CreateWebhookInput, RecoverInput, UpdateWebhookInput } from './webhook-input.api';
