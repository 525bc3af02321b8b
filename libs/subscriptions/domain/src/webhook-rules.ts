import { checkValue, isOperationalEventType, NAME } from '@harmony/contracts';
import type { FieldError } from './field-error';

/*
 * The shape of webhook input (names, lengths, event types, headers, rate limit) is
 * the request bodies' (contracts' CREATE_WEBHOOK and UPDATE_WEBHOOK, parsed by the
 * API); what is left here are the rules outside a body.
 */

/** A name outside a request body (a workspace's, its first admin's): the API's name rule. */
export function checkName(name: unknown, field = 'name'): FieldError[] {
  return checkValue(NAME, name, field);
}

/** A selection of operational events only: the workspace's operational endpoint (one per workspace, admins register it). */
export function isOperationalSelection(eventTypes: '*' | string[]): boolean {
  return eventTypes !== '*' && eventTypes.length > 0 && eventTypes.every(isOperationalEventType);
}

/** Case-insensitive, trimmed: "Orders" and " orders" are the same webhook name in one workspace. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase();
}
