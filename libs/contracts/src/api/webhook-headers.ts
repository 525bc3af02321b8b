// No imports: the page (apps/web) may use these through @harmony/contracts/api.

/**
 * Request headers the platform sets or the HTTP client manages: a webhook's
 * custom headers cannot set them (the signature would lie, or the request would
 * break). One list for the API's validation and the sender.
 */
const RESERVED_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'content-length',
  'user-agent',
  'host',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'expect',
  'proxy-authorization',
  'proxy-connection',
]);

/** `webhook-*` (Standard Webhooks) and the headers above, in any case. */
export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.startsWith('webhook-') || RESERVED_HEADERS.has(lower);
}

/** RFC 9110 token characters. */
export const HEADER_NAME_PATTERN = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/;
