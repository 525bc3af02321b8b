import type { ValidationError, ValidationResult } from './schema-validator';

/** A validator of the contracts (`validateDeliveryJob`, `validateEnvelope`, …). */
export type Validator<T> = (value: unknown) => ValidationResult<T>;

/**
 * A message that can never be used as it is (not JSON, or not the contract):
 * its errors say why. Whoever reads it moves it aside (rejected topic, dead
 * letter) or skips it; retrying cannot help.
 */
export class InvalidMessage extends Error {
  constructor(readonly errors: ValidationError[]) {
    super(describeErrors(errors));
    this.name = 'InvalidMessage';
  }
}

/** Every error as `<path>: <reason>`, `; `-separated (`/` is the whole value). */
export function describeErrors(errors: readonly ValidationError[]): string {
  return errors.map((error) => `${error.path || '/'}: ${error.reason}`).join('; ') || 'invalid message';
}

/** Parses a message's bytes as JSON and validates them; the errors instead of throwing. */
export function safeDecode<T>(validate: Validator<T>, bytes: Buffer | string | null): ValidationResult<T> {
  if (bytes === null) return { ok: false, errors: [{ path: '', reason: 'empty record' }] };
  let raw: unknown;
  try {
    raw = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch (error) {
    return { ok: false, errors: [{ path: '', reason: `invalid JSON: ${(error as Error).message}` }] };
  }
  return validate(raw);
}

/** Parses a message's bytes as JSON and validates them; throws InvalidMessage with every problem. */
export function decode<T>(validate: Validator<T>, bytes: Buffer | string | null): T {
  const result = safeDecode(validate, bytes);
  if (!result.ok) throw new InvalidMessage(result.errors);
  return result.value;
}
