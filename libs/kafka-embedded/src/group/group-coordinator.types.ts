/**
 * The contract between the wire handlers of the group APIs (FindCoordinator,
 * JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch,
 * DescribeGroups, ListGroups) and the classic group coordinator.
 *
 * The coordinator knows nothing of the wire format: handlers decode a request
 * into these shapes, call the coordinator, and encode what it answers.
 * Error codes are Kafka's own (see ../protocol/error-codes.ts).
 */

export interface GroupProtocol {
  name: string;
  metadata: Buffer;
}

export interface JoinGroupInput {
  groupId: string;
  /** '' on a member's first join. */
  memberId: string;
  /** Static membership (v5+); null for dynamic members (kafkajs, librdkafka defaults). */
  groupInstanceId: string | null;
  protocolType: string;
  protocols: GroupProtocol[];
  sessionTimeoutMs: number;
  /** JoinGroup v0 has none: handlers pass sessionTimeoutMs then. */
  rebalanceTimeoutMs: number;
  clientId: string;
  clientHost: string;
  /** JoinGroup v4+: a first join with memberId '' is answered MEMBER_ID_REQUIRED with a new member id. */
  requireKnownMemberId: boolean;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupOutput {
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  memberId: string;
  /** Filled for the leader only; empty for followers. */
  members: JoinGroupMember[];
}

export interface SyncGroupInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** SyncGroup v5+ sends them; null before. */
  protocolType: string | null;
  protocolName: string | null;
  /** Sent by the leader; empty from followers. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface SyncGroupOutput {
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export interface HeartbeatInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupInput {
  groupId: string;
  /** v0–v2 carry one member id; v3+ a batch. */
  members: { memberId: string; groupInstanceId: string | null }[];
}

export interface LeaveGroupOutput {
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface OffsetCommitInput {
  groupId: string;
  /** -1 with memberId '' for a commit from outside the group (admin setOffsets): allowed only while the group is Empty. */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  topics: {
    name: string;
    partitions: { partitionIndex: number; committedOffset: bigint; committedMetadata: string | null }[];
  }[];
}

export interface OffsetCommitOutput {
  topics: { name: string; partitions: { partitionIndex: number; errorCode: number }[] }[];
}

export interface OffsetFetchInput {
  groupId: string;
  /** null = every partition the group has committed. */
  topics: { name: string; partitionIndexes: number[] }[] | null;
}

export interface OffsetFetchOutput {
  errorCode: number;
  topics: {
    name: string;
    partitions: {
      partitionIndex: number;
      /** -1n when nothing is committed. */
      committedOffset: bigint;
      metadata: string | null;
      errorCode: number;
    }[];
  }[];
}

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface DescribedGroup {
  errorCode: number;
  groupId: string;
  groupState: GroupState;
  protocolType: string;
  /** The chosen protocol (assignor) name, '' when none. */
  protocolData: string;
  members: {
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    memberMetadata: Buffer;
    memberAssignment: Buffer;
  }[];
}

export interface ListedGroup {
  groupId: string;
  protocolType: string;
  groupState: GroupState;
}

export interface GroupCoordinatorOptions {
  /** Where committed offsets are persisted; null keeps them in memory only. */
  dataDir: string | null;
  /** Kafka's group.initial.rebalance.delay.ms (default 3000; tests use 0). */
  initialRebalanceDelayMs?: number;
  /** Kafka's group.min.session.timeout.ms / group.max.session.timeout.ms. */
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  /** 'always': fsync each commit before answering; 'never': leave it to the OS. */
  fsync?: 'always' | 'never';
  /** Answers UNKNOWN_TOPIC_OR_PARTITION for commits to partitions that do not exist. */
  partitionExists?: (topic: string, partition: number) => boolean;
  log?: (level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;
}

export interface GroupCoordinatorApi {
  /** Resolves when the rebalance completes (or at once with an error). */
  join(input: JoinGroupInput): Promise<JoinGroupOutput>;
  /** Followers' answers are held until the leader's assignment arrives. */
  sync(input: SyncGroupInput): Promise<SyncGroupOutput>;
  heartbeat(input: HeartbeatInput): { errorCode: number };
  leave(input: LeaveGroupInput): LeaveGroupOutput;
  /** Resolves once the offsets are durable per the fsync policy. */
  commitOffsets(input: OffsetCommitInput): Promise<OffsetCommitOutput>;
  fetchOffsets(input: OffsetFetchInput): OffsetFetchOutput;
  describeGroups(groupIds: string[]): DescribedGroup[];
  listGroups(): ListedGroup[];
  /** Forgets committed offsets of a deleted topic. */
  deleteTopic(topic: string): Promise<void>;
  /** Member counts and states, for the broker's metrics. */
  stats(): { groups: number; membersByState: Record<GroupState, number> };
  /** Stops every timer, answers pending joins/syncs with COORDINATOR_NOT_AVAILABLE, flushes offsets. */
  close(): Promise<void>;
}
