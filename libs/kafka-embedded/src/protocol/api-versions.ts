import { ApiKey } from './api-keys';

/**
 * The versions this broker advertises, per API. They are the ranges that work
 * for both kafkajs 2.2.4 and librdkafka 2.x (see shared/kafka-protocol/README.md):
 * - the minimums reach down because librdkafka enables features by range overlap;
 * - Produce starts at 3 and Fetch at 4 so every record set is a record batch v2;
 * - Produce ≥ 7 / Fetch ≥ 10 let librdkafka use zstd;
 * - only ApiVersions v3 is a flexible version (compact encodings, tagged fields).
 * Transactions, SASL and TLS are left out: not advertised, refused when asked for.
 */
export interface ApiVersionRange {
  readonly min: number;
  readonly max: number;
  /** First flexible version (request header v2, compact types); Infinity when none is served. */
  readonly flexibleFrom: number;
}

export const SUPPORTED_API_VERSIONS: ReadonlyMap<number, ApiVersionRange> = new Map([
  [ApiKey.Produce, { min: 3, max: 7, flexibleFrom: 9 }],
  [ApiKey.Fetch, { min: 4, max: 11, flexibleFrom: 12 }],
  [ApiKey.ListOffsets, { min: 1, max: 3, flexibleFrom: 6 }],
  [ApiKey.Metadata, { min: 0, max: 6, flexibleFrom: 9 }],
  [ApiKey.OffsetCommit, { min: 0, max: 7, flexibleFrom: 8 }],
  [ApiKey.OffsetFetch, { min: 1, max: 5, flexibleFrom: 6 }],
  [ApiKey.FindCoordinator, { min: 0, max: 2, flexibleFrom: 3 }],
  [ApiKey.JoinGroup, { min: 0, max: 5, flexibleFrom: 6 }],
  [ApiKey.Heartbeat, { min: 0, max: 3, flexibleFrom: 4 }],
  [ApiKey.LeaveGroup, { min: 0, max: 3, flexibleFrom: 4 }],
  [ApiKey.SyncGroup, { min: 0, max: 3, flexibleFrom: 4 }],
  [ApiKey.DescribeGroups, { min: 0, max: 2, flexibleFrom: 5 }],
  [ApiKey.ListGroups, { min: 0, max: 2, flexibleFrom: 3 }],
  [ApiKey.ApiVersions, { min: 0, max: 3, flexibleFrom: 3 }],
  [ApiKey.CreateTopics, { min: 0, max: 4, flexibleFrom: 5 }],
  [ApiKey.DeleteTopics, { min: 0, max: 1, flexibleFrom: 4 }],
  [ApiKey.InitProducerId, { min: 0, max: 1, flexibleFrom: 2 }],
]);

export function isSupportedVersion(apiKey: number, version: number): boolean {
  const range = SUPPORTED_API_VERSIONS.get(apiKey);
  return range !== undefined && version >= range.min && version <= range.max;
}

export function isFlexible(apiKey: number, version: number): boolean {
  const range = SUPPORTED_API_VERSIONS.get(apiKey);
  return range !== undefined && version >= range.flexibleFrom;
}
