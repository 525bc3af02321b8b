import { z } from 'zod';
import { apiShape } from './api-schema';

/** One invalid input field and why (a 400's entries; a webhook's warnings). */
export const FIELD_ERROR = apiShape(
  'FieldErrorDto',
  z.object({
    field: z.string().meta({ example: 'url' }),
    reason: z.string().meta({ example: 'must use https' }),
  }),
);
export type FieldError = z.infer<typeof FIELD_ERROR>;

/** 400: every invalid field of the request, named. */
export const VALIDATION_ERROR = apiShape('ValidationErrorDto', z.object({ errors: z.array(FIELD_ERROR) }));

/** 401, 403, 404, 409, 429. */
export const API_ERROR = apiShape(
  'ErrorDto',
  z.object({
    error: z.enum(['unauthenticated', 'forbidden', 'not_found', 'conflict', 'too_many_requests']),
    message: z.string(),
  }),
);
export type ApiError = z.infer<typeof API_ERROR>;
