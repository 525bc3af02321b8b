/** Kafka API keys this broker knows about (served or deliberately refused). */
export const ApiKey = {
  Produce: 0,
  Fetch: 1,
  ListOffsets: 2,
  Metadata: 3,
  OffsetCommit: 8,
  OffsetFetch: 9,
  FindCoordinator: 10,
  JoinGroup: 11,
  Heartbeat: 12,
  LeaveGroup: 13,
  SyncGroup: 14,
  DescribeGroups: 15,
  ListGroups: 16,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DeleteTopics: 20,
  InitProducerId: 22,
  SaslAuthenticate: 36,
} as const;

export type ApiKeyValue = (typeof ApiKey)[keyof typeof ApiKey];

export const API_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(ApiKey).map(([name, key]) => [key, name]),
);

export function apiName(key: number): string {
  return API_NAMES[key] ?? `api-${key}`;
}
