// @harmony/contracts/api: the REST API's shapes for the page (apps/web). It runs
// in the browser: values only from files without imports (no Node builtins, no
// Ajv), the zod-made shapes as types only (the page does not bundle zod).
export * from '../messages/attempt-outcome';
export type { Delivery, DeliveryPage } from './deliveries.api';
export type { EventTypeCatalog, EventTypeCategory, EventTypeInfo } from './event-types.api';
export type { TestResult } from './test-send.api';
