import type { ValidationError } from '@harmony/contracts';

/** A Kafka message that can never be processed: logged and skipped rather than retried forever. */
export class InvalidMessage extends Error {
  constructor(readonly errors: ValidationError[]) {
    super(`invalid message: ${errors.map((error) => `${error.path || '/'} ${error.reason}`).join('; ')}`);
  }
}

export function parseJson(value: Buffer | null): unknown {
  if (!value) throw new InvalidMessage([{ path: '', reason: 'empty value' }]);
  try {
    return JSON.parse(value.toString('utf8'));
  } catch (error) {
    throw new InvalidMessage([{ path: '', reason: `invalid JSON: ${(error as Error).message}` }]);
  }
}
