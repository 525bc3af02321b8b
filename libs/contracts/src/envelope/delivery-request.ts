import type { EventEnvelope } from './envelope.schema';

/**
 * The JSON body a receiver gets (Standard Webhooks): the envelope without
 * `access` (internal), with snake_case top-level names.
 */
export interface DeliveryRequestBody<TType extends string = string, TData = unknown> {
  id: string;
  type: TType;
  /** ISO 8601 time the event occurred (the signed `webhook-timestamp` is the send time). */
  timestamp: string;
  workspace_id: string;
  data: TData;
}

export function buildDeliveryRequestBody<TType extends string, TData>(
  envelope: EventEnvelope<TType, TData>,
): DeliveryRequestBody<TType, TData> {
  // Fixed key order: the body is signed byte-for-byte, and stable bodies are easier to debug.
  return {
    id: envelope.id,
    type: envelope.type,
    timestamp: envelope.occurredAt,
    workspace_id: envelope.workspaceId,
    data: envelope.data,
  };
}
