import { ValidationFailed } from '../common/service-errors';

/** A JSON object body, or a 400 naming the body. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailed([{ field: 'body', reason: 'must be a JSON object (Content-Type: application/json)' }]);
  }
  return body as Record<string, unknown>;
}
