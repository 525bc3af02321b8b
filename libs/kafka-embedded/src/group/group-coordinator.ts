import { randomUUID } from 'node:crypto';

import { ErrorCode } from '../protocol/error-codes';
import { ConsumerGroup, GroupMember } from './consumer-group';
import { type GroupClock, SYSTEM_CLOCK } from './group-clock';
import type {
  DescribedGroup,
  GroupCoordinatorApi,
  GroupCoordinatorOptions,
  GroupState,
  HeartbeatInput,
  JoinGroupInput,
  JoinGroupOutput,
  LeaveGroupInput,
  LeaveGroupOutput,
  ListedGroup,
  OffsetCommitInput,
  OffsetCommitOutput,
  OffsetFetchInput,
  OffsetFetchOutput,
  SyncGroupInput,
  SyncGroupOutput,
} from './group-coordinator.types';
import { OffsetStore, type OffsetToCommit } from './offset-store';

/** Options beyond the shared contract, for tests and tuning. */
export interface GroupCoordinatorConfig extends GroupCoordinatorOptions {
  /** Defaults to the real clock; tests inject a manual one. */
  clock?: GroupClock;
  /** Kafka's offset.metadata.max.bytes. */
  maxOffsetMetadataLength?: number;
  /** Rewrite the offsets log after this many appended records (default 1000). */
  compactAfterRecords?: number;
}

const DEFAULTS = {
  initialRebalanceDelayMs: 3000,
  minSessionTimeoutMs: 6000,
  maxSessionTimeoutMs: 1_800_000,
  maxOffsetMetadataLength: 4096,
};

type LogFn = NonNullable<GroupCoordinatorOptions['log']>;

/**
 * Kafka's classic group coordinator: membership, rebalances (JoinGroup and
 * SyncGroup answers held until the rebalance completes), session, rebalance
 * and initial-delay timers, and committed offsets persisted under dataDir.
 * Everything runs on the event loop, so each call sees a consistent group.
 */
export class GroupCoordinator implements GroupCoordinatorApi {
  private readonly groups = new Map<string, ConsumerGroup>();
  private readonly offsets: OffsetStore;
  private readonly clock: GroupClock;
  private readonly initialRebalanceDelayMs: number;
  private readonly minSessionTimeoutMs: number;
  private readonly maxSessionTimeoutMs: number;
  private readonly maxOffsetMetadataLength: number;
  private readonly partitionExists: (topic: string, partition: number) => boolean;
  private readonly logFn: LogFn | undefined;
  private closed = false;

  constructor(options: GroupCoordinatorConfig) {
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.initialRebalanceDelayMs = options.initialRebalanceDelayMs ?? DEFAULTS.initialRebalanceDelayMs;
    this.minSessionTimeoutMs = options.minSessionTimeoutMs ?? DEFAULTS.minSessionTimeoutMs;
    this.maxSessionTimeoutMs = options.maxSessionTimeoutMs ?? DEFAULTS.maxSessionTimeoutMs;
    this.maxOffsetMetadataLength = options.maxOffsetMetadataLength ?? DEFAULTS.maxOffsetMetadataLength;
    this.partitionExists = options.partitionExists ?? (() => true);
    this.logFn = options.log;
    this.offsets = new OffsetStore({
      dataDir: options.dataDir,
      fsync: options.fsync ?? 'always',
      now: () => this.clock.now(),
      compactAfterRecords: options.compactAfterRecords,
      log: options.log,
    });
    // Groups with committed offsets exist (Empty) after a restart, as Kafka loads them from __consumer_offsets.
    for (const groupId of this.offsets.groupIds()) this.groups.set(groupId, new ConsumerGroup(groupId));
  }

  /** Async factory for callers that prefer it; loading is synchronous either way. */
  static open(options: GroupCoordinatorConfig): Promise<GroupCoordinator> {
    return Promise.resolve(new GroupCoordinator(options));
  }

  // ---------------------------------------------------------------- JoinGroup

  join(input: JoinGroupInput): Promise<JoinGroupOutput> {
    if (this.closed) return Promise.resolve(joinError(input.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (input.groupId === '') return Promise.resolve(joinError(input.memberId, ErrorCode.INVALID_GROUP_ID));
    if (input.sessionTimeoutMs < this.minSessionTimeoutMs || input.sessionTimeoutMs > this.maxSessionTimeoutMs) {
      return Promise.resolve(joinError(input.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
    }
    let group = this.groups.get(input.groupId);
    if (input.memberId === '') {
      if (!group) {
        group = new ConsumerGroup(input.groupId);
        this.groups.set(input.groupId, group);
      }
    } else if (!group) {
      return Promise.resolve(joinError(input.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
    const answer = input.memberId === '' ? this.joinUnknownMember(group, input) : this.joinKnownMember(group, input);
    // Kafka tries to complete the join phase after every JoinGroup.
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
    this.maybeRemoveGroup(group);
    return answer;
  }

  private joinUnknownMember(group: ConsumerGroup, input: JoinGroupInput): Promise<JoinGroupOutput> {
    if (group.is('Dead')) return Promise.resolve(joinError('', ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(input.protocolType, input.protocols.map((p) => p.name))) {
      return Promise.resolve(joinError('', ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const memberId = `${input.clientId}-${randomUUID()}`;
    if (input.requireKnownMemberId) {
      // The client must come back with this id; until then it counts as a member the rebalance waits for.
      const timer = this.clock.setTimeout(() => this.expirePendingMember(group, memberId), input.sessionTimeoutMs);
      group.pendingMembers.set(memberId, timer);
      this.log('debug', 'member id required', { groupId: group.groupId, memberId });
      return Promise.resolve(joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED));
    }
    return this.addMemberAndRebalance(group, memberId, input);
  }

  private joinKnownMember(group: ConsumerGroup, input: JoinGroupInput): Promise<JoinGroupOutput> {
    const { memberId } = input;
    if (group.is('Dead')) return Promise.resolve(joinError(memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (!group.supportsProtocols(input.protocolType, input.protocols.map((p) => p.name))) {
      return Promise.resolve(joinError(memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    if (group.pendingMembers.has(memberId)) {
      this.clock.clearTimeout(group.pendingMembers.get(memberId));
      group.pendingMembers.delete(memberId);
      return this.addMemberAndRebalance(group, memberId, input);
    }
    const member = group.members.get(memberId);
    if (!member) return Promise.resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, input);
      case 'CompletingRebalance':
        // Same protocols: the join answer was probably lost, so repeat it rather than start over.
        if (member.matches(input.protocols)) {
          this.scheduleSession(group, member);
          return Promise.resolve(this.currentGenerationAnswer(group, member));
        }
        return this.updateMemberAndRebalance(group, member, input);
      case 'Stable':
        // The leader may rejoin to force a new assignment (e.g. topic metadata changed); a follower only if its subscription did.
        if (group.isLeader(memberId) || !member.matches(input.protocols)) {
          return this.updateMemberAndRebalance(group, member, input);
        }
        this.scheduleSession(group, member);
        return Promise.resolve(this.currentGenerationAnswer(group, member));
      default:
        return Promise.resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  private addMemberAndRebalance(group: ConsumerGroup, memberId: string, input: JoinGroupInput): Promise<JoinGroupOutput> {
    const member = new GroupMember(memberId, input.groupInstanceId, input.clientId, input.clientHost, {
      protocolType: input.protocolType,
      protocols: input.protocols,
      sessionTimeoutMs: input.sessionTimeoutMs,
      rebalanceTimeoutMs: input.rebalanceTimeoutMs,
    });
    if (group.initialDelay) group.initialDelay.newMemberAdded = true;
    const answer = new Promise<JoinGroupOutput>((resolve) => {
      member.joinWaiter = resolve;
    });
    group.add(member);
    this.scheduleSession(group, member);
    this.log('info', 'member joined', { groupId: group.groupId, memberId, clientId: input.clientId });
    this.maybePrepareRebalance(group, `member ${memberId} joined`);
    return answer;
  }

  private updateMemberAndRebalance(group: ConsumerGroup, member: GroupMember, input: JoinGroupInput): Promise<JoinGroupOutput> {
    // A client that resends JoinGroup has given up on the earlier request; answer it so nothing hangs.
    this.answerJoin(group, member, joinError(member.memberId, ErrorCode.REBALANCE_IN_PROGRESS));
    member.protocols = input.protocols;
    member.protocolType = input.protocolType;
    member.sessionTimeoutMs = input.sessionTimeoutMs;
    member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
    const answer = new Promise<JoinGroupOutput>((resolve) => {
      member.joinWaiter = resolve;
    });
    this.scheduleSession(group, member);
    this.maybePrepareRebalance(group, `member ${member.memberId} rejoined`);
    return answer;
  }

  private currentGenerationAnswer(group: ConsumerGroup, member: GroupMember): JoinGroupOutput {
    const protocolName = group.protocolName as string;
    return {
      errorCode: ErrorCode.NONE,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName,
      leader: group.leaderId ?? '',
      memberId: member.memberId,
      members: group.isLeader(member.memberId)
        ? [...group.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.groupInstanceId,
            metadata: m.metadataFor(protocolName),
          }))
        : [],
    };
  }

  // ---------------------------------------------------------------- rebalance

  private maybePrepareRebalance(group: ConsumerGroup, reason: string): void {
    if (group.is('Stable') || group.is('CompletingRebalance') || group.is('Empty')) this.prepareRebalance(group, reason);
  }

  private prepareRebalance(group: ConsumerGroup, reason: string): void {
    if (group.is('CompletingRebalance')) {
      // Assignments of the abandoned generation are void; followers waiting for them must rejoin.
      for (const m of group.members.values()) {
        m.assignment = Buffer.alloc(0);
        this.answerSync(group, m, syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      }
    }
    this.clearTimer(group, 'syncTimer');
    group.pendingSyncMembers.clear();
    const rebalanceTimeoutMs = group.rebalanceTimeoutMs();
    if (group.is('Empty') && this.initialRebalanceDelayMs > 0) {
      // The first rebalance of an empty group waits a little so members starting together land in one generation.
      const delay = Math.min(this.initialRebalanceDelayMs, rebalanceTimeoutMs);
      group.initialDelay = { remainingMs: Math.max(rebalanceTimeoutMs - delay, 0), newMemberAdded: false };
      group.joinTimer = this.clock.setTimeout(() => this.onInitialDelayExpired(group), delay);
    } else {
      group.joinTimer = this.clock.setTimeout(() => this.completeJoin(group), rebalanceTimeoutMs);
    }
    group.transitionTo('PreparingRebalance');
    this.log('info', 'preparing rebalance', { groupId: group.groupId, generationId: group.generationId, reason });
    this.tryCompleteJoin(group);
  }

  private onInitialDelayExpired(group: ConsumerGroup): void {
    group.joinTimer = null;
    const delay = group.initialDelay;
    if (delay && delay.newMemberAdded && delay.remainingMs > 0) {
      // Someone joined during the delay: wait once more, but never beyond the rebalance timeout.
      const next = Math.min(this.initialRebalanceDelayMs, delay.remainingMs);
      group.initialDelay = { remainingMs: Math.max(delay.remainingMs - this.initialRebalanceDelayMs, 0), newMemberAdded: false };
      group.joinTimer = this.clock.setTimeout(() => this.onInitialDelayExpired(group), next);
      return;
    }
    this.completeJoin(group);
  }

  private tryCompleteJoin(group: ConsumerGroup): void {
    // During the initial delay only the timer ends the join phase, as Kafka's InitialDelayedJoin.
    if (group.is('PreparingRebalance') && group.initialDelay === null && group.hasAllMembersJoined()) this.completeJoin(group);
  }

  /** Ends the join phase: drops members that did not rejoin, starts the next generation, answers the held joins. */
  private completeJoin(group: ConsumerGroup): void {
    if (!group.is('PreparingRebalance')) return;
    this.clearTimer(group, 'joinTimer');
    group.initialDelay = null;
    for (const m of [...group.members.values()]) {
      if (!m.isAwaitingJoin) this.removeMember(group, m, 'did not rejoin before the rebalance timeout');
    }
    group.initNextGeneration();
    this.log('info', 'rebalance complete', {
      groupId: group.groupId,
      generationId: group.generationId,
      state: group.state,
      members: group.members.size,
      protocol: group.protocolName,
    });
    if (group.is('Empty')) {
      this.maybeRemoveGroup(group);
      return;
    }
    for (const m of group.members.values()) {
      this.answerJoin(group, m, this.currentGenerationAnswer(group, m));
      group.pendingSyncMembers.add(m.memberId);
    }
    // Members that never send SyncGroup would otherwise stall the group while heartbeating.
    const generationId = group.generationId;
    group.syncTimer = this.clock.setTimeout(() => this.onPendingSyncExpired(group, generationId), group.rebalanceTimeoutMs());
  }

  private onPendingSyncExpired(group: ConsumerGroup, generationId: number): void {
    group.syncTimer = null;
    if (group.generationId !== generationId || !(group.is('CompletingRebalance') || group.is('Stable'))) return;
    if (group.pendingSyncMembers.size === 0) return;
    for (const memberId of [...group.pendingSyncMembers]) {
      const m = group.members.get(memberId);
      if (m) this.removeMember(group, m, 'did not send SyncGroup before the rebalance timeout');
    }
    group.pendingSyncMembers.clear();
    this.maybePrepareRebalance(group, 'members did not sync');
  }

  // ---------------------------------------------------------------- SyncGroup

  sync(input: SyncGroupInput): Promise<SyncGroupOutput> {
    if (this.closed) return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    if (input.groupId === '') return Promise.resolve(syncError(ErrorCode.INVALID_GROUP_ID));
    const group = this.groups.get(input.groupId);
    if (!group) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (group.is('Dead')) return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    const member = group.members.get(input.memberId);
    if (!member) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (input.generationId !== group.generationId) return Promise.resolve(syncError(ErrorCode.ILLEGAL_GENERATION));
    if (
      (input.protocolType !== null && input.protocolType !== group.protocolType) ||
      (input.protocolName !== null && input.protocolName !== group.protocolName)
    ) {
      return Promise.resolve(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    switch (group.state) {
      case 'PreparingRebalance':
        return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'CompletingRebalance': {
        this.answerSync(group, member, syncError(ErrorCode.REBALANCE_IN_PROGRESS));
        const answer = new Promise<SyncGroupOutput>((resolve) => {
          member.syncWaiter = resolve;
        });
        group.pendingSyncMembers.delete(member.memberId);
        this.scheduleSession(group, member);
        if (group.isLeader(member.memberId)) this.applyAssignment(group, input.assignments);
        return answer;
      }
      case 'Stable':
        group.pendingSyncMembers.delete(member.memberId);
        this.scheduleSession(group, member);
        return Promise.resolve(this.syncAnswer(group, member));
      default:
        return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    }
  }

  /** The leader's assignment: every member gets its share (empty if the leader gave none) and the group is Stable. */
  private applyAssignment(group: ConsumerGroup, assignments: SyncGroupInput['assignments']): void {
    const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
    for (const m of group.members.values()) m.assignment = byMember.get(m.memberId) ?? Buffer.alloc(0);
    group.transitionTo('Stable');
    for (const m of group.members.values()) this.answerSync(group, m, this.syncAnswer(group, m));
    this.log('info', 'group stable', { groupId: group.groupId, generationId: group.generationId });
  }

  private syncAnswer(group: ConsumerGroup, member: GroupMember): SyncGroupOutput {
    return {
      errorCode: ErrorCode.NONE,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      assignment: member.assignment,
    };
  }

  // ---------------------------------------------------------------- Heartbeat

  heartbeat(input: HeartbeatInput): { errorCode: number } {
    if (this.closed) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    if (input.groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID };
    const group = this.groups.get(input.groupId);
    if (!group) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE };
    if (group.is('Empty')) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    const member = group.members.get(input.memberId);
    if (!member) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID };
    if (input.generationId !== group.generationId) return { errorCode: ErrorCode.ILLEGAL_GENERATION };
    this.scheduleSession(group, member);
    // During PreparingRebalance the heartbeat answer is how members learn they must rejoin.
    return { errorCode: group.is('PreparingRebalance') ? ErrorCode.REBALANCE_IN_PROGRESS : ErrorCode.NONE };
  }

  // ---------------------------------------------------------------- LeaveGroup

  leave(input: LeaveGroupInput): LeaveGroupOutput {
    if (this.closed) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    if (input.groupId === '') return { errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
    const group = this.groups.get(input.groupId);
    if (!group) {
      return {
        errorCode: ErrorCode.NONE,
        members: input.members.map((m) => ({ ...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })),
      };
    }
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = input.members.map(({ memberId, groupInstanceId }) => {
      let errorCode: number = ErrorCode.NONE;
      if (memberId === '') {
        // Admin removal of a static member names only its instance id.
        const member = groupInstanceId !== null ? group.findByInstanceId(groupInstanceId) : undefined;
        if (member) this.removeMemberAndUpdateGroup(group, member, 'removed by instance id');
        else errorCode = ErrorCode.UNKNOWN_MEMBER_ID;
      } else if (group.pendingMembers.has(memberId)) {
        this.clock.clearTimeout(group.pendingMembers.get(memberId));
        group.pendingMembers.delete(memberId);
        this.tryCompleteJoin(group);
      } else {
        const member = group.members.get(memberId);
        if (member) this.removeMemberAndUpdateGroup(group, member, 'left the group');
        else errorCode = ErrorCode.UNKNOWN_MEMBER_ID;
      }
      return { memberId, groupInstanceId, errorCode };
    });
    this.maybeRemoveGroup(group);
    return { errorCode: ErrorCode.NONE, members };
  }

  // ---------------------------------------------------------------- membership changes

  /** Removes a member and reacts as Kafka does: a rebalance, or completing the one in progress. */
  private removeMemberAndUpdateGroup(group: ConsumerGroup, member: GroupMember, reason: string): void {
    this.removeMember(group, member, reason);
    switch (group.state) {
      case 'Stable':
      case 'CompletingRebalance':
        this.maybePrepareRebalance(group, `member ${member.memberId} ${reason}`);
        break;
      case 'PreparingRebalance':
        this.tryCompleteJoin(group);
        break;
      default:
        break;
    }
  }

  /** Drops a member, answering anything it still waits for so no request hangs. */
  private removeMember(group: ConsumerGroup, member: GroupMember, reason: string): void {
    this.answerJoin(group, member, joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
    this.answerSync(group, member, syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    if (member.sessionTimer !== null) this.clock.clearTimeout(member.sessionTimer);
    member.sessionTimer = null;
    group.remove(member.memberId);
    this.log('info', 'member removed', { groupId: group.groupId, memberId: member.memberId, reason });
  }

  private scheduleSession(group: ConsumerGroup, member: GroupMember): void {
    if (member.sessionTimer !== null) this.clock.clearTimeout(member.sessionTimer);
    member.sessionTimer = this.clock.setTimeout(() => this.onSessionExpired(group, member), member.sessionTimeoutMs);
  }

  private onSessionExpired(group: ConsumerGroup, member: GroupMember): void {
    member.sessionTimer = null;
    if (group.members.get(member.memberId) !== member) return;
    // A member waiting on a held answer cannot heartbeat; the rebalance timers bound that wait instead,
    // and answering it restarts the session.
    if (member.isAwaitingJoin || member.isAwaitingSync) return;
    this.removeMemberAndUpdateGroup(group, member, 'session timed out');
    this.maybeRemoveGroup(group);
  }

  private expirePendingMember(group: ConsumerGroup, memberId: string): void {
    if (!group.pendingMembers.delete(memberId)) return;
    this.log('debug', 'pending member expired', { groupId: group.groupId, memberId });
    this.tryCompleteJoin(group);
    this.maybeRemoveGroup(group);
  }

  private answerJoin(group: ConsumerGroup, member: GroupMember, out: JoinGroupOutput): void {
    const waiter = member.joinWaiter;
    if (!waiter) return;
    member.joinWaiter = null;
    if (group.members.get(member.memberId) === member && !this.closed) this.scheduleSession(group, member);
    waiter(out);
  }

  private answerSync(group: ConsumerGroup, member: GroupMember, out: SyncGroupOutput): void {
    const waiter = member.syncWaiter;
    if (!waiter) return;
    member.syncWaiter = null;
    if (group.members.get(member.memberId) === member && !this.closed) this.scheduleSession(group, member);
    waiter(out);
  }

  private clearTimer(group: ConsumerGroup, which: 'joinTimer' | 'syncTimer'): void {
    if (group[which] !== null) this.clock.clearTimeout(group[which]);
    group[which] = null;
  }

  /** An Empty group with nobody joining and no offsets is forgotten (Kafka marks it Dead and drops it). */
  private maybeRemoveGroup(group: ConsumerGroup): void {
    if (!group.is('Empty') || group.members.size > 0 || group.pendingMembers.size > 0) return;
    if (this.offsets.hasOffsets(group.groupId)) return;
    if (this.groups.get(group.groupId) !== group) return;
    this.clearTimer(group, 'joinTimer');
    this.clearTimer(group, 'syncTimer');
    group.transitionTo('Dead');
    this.groups.delete(group.groupId);
  }

  // ---------------------------------------------------------------- offsets

  async commitOffsets(input: OffsetCommitInput): Promise<OffsetCommitOutput> {
    const groupError = this.validateCommit(input);
    const toStore: OffsetToCommit[] = [];
    const topics = input.topics.map((t) => ({
      name: t.name,
      partitions: t.partitions.map((p) => {
        let errorCode: number;
        if (!this.partitionExists(t.name, p.partitionIndex)) errorCode = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        else if (groupError !== ErrorCode.NONE) errorCode = groupError;
        else if (p.committedMetadata !== null && p.committedMetadata.length > this.maxOffsetMetadataLength) {
          errorCode = ErrorCode.OFFSET_METADATA_TOO_LARGE;
        } else {
          errorCode = ErrorCode.NONE;
          toStore.push({ topic: t.name, partition: p.partitionIndex, offset: p.committedOffset, metadata: p.committedMetadata ?? '' });
        }
        return { partitionIndex: p.partitionIndex, errorCode };
      }),
    }));
    if (toStore.length > 0) {
      try {
        await this.offsets.commit(input.groupId, toStore);
      } catch (err) {
        this.log('error', 'offset commit failed', { groupId: input.groupId, error: String(err) });
        const failed = this.closed ? ErrorCode.COORDINATOR_NOT_AVAILABLE : ErrorCode.UNKNOWN_SERVER_ERROR;
        for (const t of topics) for (const p of t.partitions) if (p.errorCode === ErrorCode.NONE) p.errorCode = failed;
      }
    }
    const group = this.groups.get(input.groupId);
    if (group) this.maybeRemoveGroup(group);
    return { topics };
  }

  /** Kafka's checks for a commit: members commit with their generation; outsiders only while the group is Empty. */
  private validateCommit(input: OffsetCommitInput): number {
    if (this.closed) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    let group = this.groups.get(input.groupId);
    if (!group) {
      // A group that does not use Kafka for membership (or an admin setting offsets) may commit as an outsider.
      if (input.generationId >= 0) return ErrorCode.ILLEGAL_GENERATION;
      group = new ConsumerGroup(input.groupId);
      this.groups.set(input.groupId, group);
    }
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (input.generationId >= 0 || input.memberId !== '' || input.groupInstanceId !== null) {
      const member = group.members.get(input.memberId);
      if (!member) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
      // The member has the new generation but no assignment yet: it must finish the rebalance first.
      if (group.is('CompletingRebalance')) return ErrorCode.REBALANCE_IN_PROGRESS;
      this.scheduleSession(group, member);
      return ErrorCode.NONE;
    }
    return group.is('Empty') ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  fetchOffsets(input: OffsetFetchInput): OffsetFetchOutput {
    if (this.closed) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, topics: [] };
    if (input.topics === null) {
      return {
        errorCode: ErrorCode.NONE,
        topics: [...this.offsets.all(input.groupId)].map(([name, partitions]) => ({
          name,
          partitions: [...partitions].map(([partitionIndex, c]) => ({
            partitionIndex,
            committedOffset: c.offset,
            metadata: c.metadata,
            errorCode: ErrorCode.NONE,
          })),
        })),
      };
    }
    return {
      errorCode: ErrorCode.NONE,
      topics: input.topics.map((t) => ({
        name: t.name,
        partitions: t.partitionIndexes.map((partitionIndex) => {
          const c = this.offsets.get(input.groupId, t.name, partitionIndex);
          // Kafka answers offset -1 with empty metadata for a partition never committed.
          return { partitionIndex, committedOffset: c ? c.offset : -1n, metadata: c ? c.metadata : '', errorCode: ErrorCode.NONE };
        }),
      })),
    };
  }

  async deleteTopic(topic: string): Promise<void> {
    if (this.closed) return;
    await this.offsets.deleteTopic(topic);
    for (const group of [...this.groups.values()]) this.maybeRemoveGroup(group);
  }

  // ---------------------------------------------------------------- admin

  describeGroups(groupIds: string[]): DescribedGroup[] {
    return groupIds.map((groupId) => {
      const group = this.groups.get(groupId);
      if (!group) {
        // DescribeGroups v0+ answers an unknown group as Dead with no error.
        return { errorCode: ErrorCode.NONE, groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [] };
      }
      // As Kafka, metadata and assignments are shown only once the group is Stable.
      const stable = group.is('Stable');
      const protocolName = stable ? (group.protocolName ?? '') : '';
      return {
        errorCode: ErrorCode.NONE,
        groupId,
        groupState: group.state,
        protocolType: group.protocolType ?? '',
        protocolData: protocolName,
        members: [...group.members.values()].map((m) => ({
          memberId: m.memberId,
          groupInstanceId: m.groupInstanceId,
          clientId: m.clientId,
          clientHost: m.clientHost,
          memberMetadata: stable ? m.metadataFor(protocolName) : Buffer.alloc(0),
          memberAssignment: stable ? m.assignment : Buffer.alloc(0),
        })),
      };
    });
  }

  listGroups(): ListedGroup[] {
    return [...this.groups.values()]
      .filter((g) => !g.is('Dead'))
      .map((g) => ({ groupId: g.groupId, protocolType: g.protocolType ?? '', groupState: g.state }));
  }

  stats(): { groups: number; membersByState: Record<GroupState, number> } {
    const membersByState: Record<GroupState, number> = {
      Empty: 0,
      PreparingRebalance: 0,
      CompletingRebalance: 0,
      Stable: 0,
      Dead: 0,
    };
    for (const g of this.groups.values()) membersByState[g.state] += g.members.size;
    return { groups: this.groups.size, membersByState };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const group of this.groups.values()) {
      this.clearTimer(group, 'joinTimer');
      this.clearTimer(group, 'syncTimer');
      for (const timer of group.pendingMembers.values()) this.clock.clearTimeout(timer);
      group.pendingMembers.clear();
      for (const m of group.members.values()) {
        if (m.sessionTimer !== null) this.clock.clearTimeout(m.sessionTimer);
        m.sessionTimer = null;
        this.answerJoin(group, m, joinError(m.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
        this.answerSync(group, m, syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
      }
    }
    await this.offsets.close();
  }

  private log(level: 'debug' | 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void {
    this.logFn?.(level, msg, fields);
  }
}

function joinError(memberId: string, errorCode: number): JoinGroupOutput {
  return { errorCode, generationId: -1, protocolType: null, protocolName: null, leader: '', memberId, members: [] };
}

function syncError(errorCode: number): SyncGroupOutput {
  return { errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) };
}
