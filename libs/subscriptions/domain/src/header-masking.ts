import type { FieldError } from './field-error';

/** What a masked custom header value starts with; the last 4 characters follow (long values only). */
export const HEADER_MASK = '****';
/** Values this short are masked whole: their last 4 characters would give most of them away. */
const SHORT_VALUE = 12;

/**
 * A custom header value as reads show it (`Authorization: Bearer …` is a
 * credential, like a signing secret): `****` and its last 4 characters.
 */
export function maskHeaderValue(value: string): string {
  return value.length < SHORT_VALUE ? HEADER_MASK : `${HEADER_MASK}${value.slice(-4)}`;
}

export function maskHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, maskHeaderValue(value)]));
}

/**
 * The headers a write stores. Only a write replaces a value: a header sent back
 * with the masked value it was read with keeps its stored value (a client that
 * read, edited another field and sent everything back loses nothing); a masked
 * value that matches no stored value is refused rather than stored as the value.
 */
export function mergeHeaderWrite(
  stored: Readonly<Record<string, string>>,
  sent: Readonly<Record<string, string>>,
): { headers: Record<string, string>; errors: FieldError[] } {
  const headers: Record<string, string> = {};
  const errors: FieldError[] = [];
  const storedByName = new Map(Object.entries(stored).map(([name, value]) => [name.toLowerCase(), value]));
  for (const [name, value] of Object.entries(sent)) {
    const previous = storedByName.get(name.toLowerCase());
    if (previous !== undefined && value === maskHeaderValue(previous)) headers[name] = previous;
    else if (value.startsWith(HEADER_MASK)) {
      errors.push({ field: `headers.${name}`, reason: 'is a masked value that matches no stored value: send the real value' });
    } else headers[name] = value;
  }
  return { headers, errors };
}
