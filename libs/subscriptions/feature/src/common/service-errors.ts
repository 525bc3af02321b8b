import type { FieldError } from '@harmony/subscriptions/domain';

/** Errors of the use cases, independent of transport: REST and gRPC map them to their status codes. */
export abstract class ServiceError extends Error {
  abstract readonly kind: 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_many_requests';
}

export class ValidationFailed extends ServiceError {
  readonly kind = 'invalid' as const;
  constructor(readonly errors: FieldError[]) {
    super(errors.map((error) => `${error.field}: ${error.reason}`).join('; '));
  }
}

export class Unauthenticated extends ServiceError {
  readonly kind = 'unauthenticated' as const;
  constructor(message = 'a valid API key is required: Authorization: Bearer hwk_…') {
    super(message);
  }
}

export class Forbidden extends ServiceError {
  readonly kind = 'forbidden' as const;
}

export class NotFound extends ServiceError {
  readonly kind = 'not_found' as const;
}

export class Conflict extends ServiceError {
  readonly kind = 'conflict' as const;
}

/** A per-key limit is reached (e.g. open live streams): retry once one is released. */
export class TooManyRequests extends ServiceError {
  readonly kind = 'too_many_requests' as const;
}

/** Throws ValidationFailed when any rule failed. */
export function assertValid(errors: FieldError[]): void {
  if (errors.length > 0) throw new ValidationFailed(errors);
}
