import { ApiKey } from './api-keys';
import { isFlexible } from './api-versions';
import { ByteReader } from './byte-reader';
import { ByteWriter } from './byte-writer';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/**
 * Request header v1 (apiKey, apiVersion, correlationId, clientId) or, for a
 * flexible API version, v2 (v1 + tagged fields). The clientId stays a classic
 * nullable string even in v2.
 */
export function readRequestHeader(r: ByteReader): RequestHeader {
  const apiKey = r.int16();
  const apiVersion = r.int16();
  const correlationId = r.int32();
  const clientId = r.nullableString();
  if (isFlexible(apiKey, apiVersion)) r.taggedFields();
  return { apiKey, apiVersion, correlationId, clientId };
}

/**
 * Response header v0 (correlationId) or v1 (+ tagged fields) for flexible
 * versions. ApiVersions always answers with v0 so that a client can read the
 * error of a version it asked for and we did not support.
 */
export function writeResponseHeader(w: ByteWriter, header: RequestHeader): void {
  w.int32(header.correlationId);
  if (header.apiKey !== ApiKey.ApiVersions && isFlexible(header.apiKey, header.apiVersion)) w.taggedFields();
}
