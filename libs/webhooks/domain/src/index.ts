export { generateSigningSecret, secretKey, type SignedContent, signWebhook } from './signature';
export {
  ADDRESS_REFUSAL_REASONS,
  type AddressRefusalReason,
  AddressPolicy,
  type AddressVerdict,
  BLOCKED_PORTS,
  describeAddressRefusal,
  MAX_WEBHOOK_URL_LENGTH,
  METADATA_CIDRS,
  SsrfPolicy,
  type SsrfPolicyOptions,
  URL_REFUSAL_CODES,
  type UrlRefusalCode,
  type UrlVerdict,
  type WebhookTarget,
} from './ssrf-policy';
export { MAX_RETRY_AFTER_MS, parseRetryAfter, RETRY_JITTER_RATIO, type RetryDecision, RetryPolicy, type RetryPolicyOptions } from './retry-policy';
export {
  classifyResponse,
  DeliveryFailure,
  HttpStatusFailure,
  NETWORK_FAILURE_CODES,
  type NetworkFailureCode,
  NetworkFailure,
  type NextStep,
  nextStepAfterFailure,
  type RefusalCode,
  type ResponseClassification,
  RETRY_AFTER_STATUSES,
  STATUS_CLASSES,
  type StatusClass,
  statusClassOf,
  TargetRefused,
  TimeoutFailure,
} from './delivery-outcome';
export { HEADER_NAME_PATTERN, isReservedHeader } from '@harmony/contracts';
export { ownerMaySee } from './event-visibility';
export { boundResponseHeaders, REDACTED_HEADER_VALUE } from './response-headers';
export { API_KEY_PREFIX, bearerToken, generateApiKey, hashApiKey, looksLikeApiKey, type NewApiKey } from './api-key';
