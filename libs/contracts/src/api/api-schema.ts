import { z } from 'zod';

/**
 * The API's shapes that have a name in the OpenAPI document
 * (`#/components/schemas/<id>`): the server adds them to its document
 * (`apiComponentSchemas`), so the document, the server's types and the page's
 * types have one definition (decision 0125).
 */
export const API_SHAPES = z.registry<{ id: string }>();

/** A timestamp as the API writes it (ISO 8601, UTC). */
export const DATE_TIME = z.string().meta({ format: 'date-time' });

/** Names `shape` in the OpenAPI document as `#/components/schemas/<id>`. */
export function apiShape<T extends z.ZodType>(id: string, shape: T): T {
  API_SHAPES.add(shape, { id });
  return shape;
}

/** A reference to a named shape, for `@ApiOkResponse({ schema })` and the like. */
export function apiShapeRef(shape: z.ZodType): { $ref: string } {
  const id = API_SHAPES.get(shape)?.id;
  if (!id) throw new Error('not a named API shape (see apiShape)');
  return { $ref: componentRef(id) };
}

export function componentRef(id: string): string {
  return `#/components/schemas/${id}`;
}
