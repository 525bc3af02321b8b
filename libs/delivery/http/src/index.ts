export {
  DEFAULT_USER_AGENT,
  HARMONY_WEBHOOKS_VERSION,
  type SendRequest,
  type SendResult,
  WebhookSender,
  type WebhookSenderOptions,
} from './webhook-sender';
export { checkWebhookUrl, type CheckWebhookUrlOptions, type WebhookUrlCheck } from './check-webhook-url';
export { guardedLookup, type HostResolver, type ResolvedAddress, resolveChecked, SsrfRefusedError, systemResolver } from './guarded-lookup';
export {
  type BreakerCall,
  type BreakerState,
  EndpointBreakers,
  type EndpointBreakersOptions,
} from './endpoint-breakers';
export { EndpointRateLimiter, type EndpointRateLimiterOptions, type RateDecision } from './endpoint-rate-limiter';
export { countsAgainstEndpoint } from './breaker-failure';
