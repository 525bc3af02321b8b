import { RESPONSE_HEADERS_LIMIT_BYTES, RESPONSE_HEADERS_LIMIT_COUNT } from '@harmony/contracts';

/** Headers whose values are the receiver's credentials, not evidence of a delivery. */
const SECRET_RESPONSE_HEADER = /^(set-cookie|authorization|proxy-authenticate|www-authenticate)$|secret|token|password|api[-_]?key/i;
export const REDACTED_HEADER_VALUE = '[redacted]';

/**
 * The response headers the delivery log keeps: in the order received, names
 * lower-cased, credential-looking values redacted, at most
 * RESPONSE_HEADERS_LIMIT_COUNT headers and RESPONSE_HEADERS_LIMIT_BYTES of
 * names and values (UTF-8); a header that does not fit is left out whole.
 */
export function boundResponseHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const kept: Record<string, string> = {};
  let count = 0;
  let bytes = 0;
  for (const [rawName, rawValue] of Object.entries(headers)) {
    if (count === RESPONSE_HEADERS_LIMIT_COUNT) break;
    const name = rawName.toLowerCase();
    const value = SECRET_RESPONSE_HEADER.test(name) ? REDACTED_HEADER_VALUE : rawValue;
    const size = Buffer.byteLength(name) + Buffer.byteLength(value);
    if (bytes + size > RESPONSE_HEADERS_LIMIT_BYTES) continue;
    kept[name] = value;
    count += 1;
    bytes += size;
  }
  return kept;
}
