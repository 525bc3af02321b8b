import { fieldErrors } from '@harmony/contracts';
import type { z } from 'zod';
import { assertValid, ValidationFailed } from '../common/service-errors';

/** A JSON object body, or a 400 naming the body. */
export function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailed([{ field: 'body', reason: 'must be a JSON object (Content-Type: application/json)' }]);
  }
  return body as Record<string, unknown>;
}

/**
 * A request body parsed by its shape (contracts, decision 0125), or a 400
 * `{ errors: [{ field, reason }] }` naming every invalid field in the shape's order.
 * Async: a shape may carry the URL policy, which resolves names.
 */
export async function parseBody<T extends z.ZodObject>(shape: T, body: unknown): Promise<z.output<T>> {
  const result = await shape.safeParseAsync(objectBody(body));
  if (!result.success) assertValid(fieldErrors(result.error.issues, Object.keys(shape.shape)));
  return result.data as z.output<T>;
}
