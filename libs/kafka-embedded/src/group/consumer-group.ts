import type { GroupProtocol, GroupState, JoinGroupOutput, SyncGroupOutput } from './group-coordinator.types';

/** One member of a classic group, as Kafka's MemberMetadata. */
export class GroupMember {
  protocolType: string;
  protocols: GroupProtocol[];
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  assignment: Buffer = Buffer.alloc(0);
  /** A held JoinGroup answer; set while the member waits for the rebalance to complete. */
  joinWaiter: ((out: JoinGroupOutput) => void) | null = null;
  /** A held SyncGroup answer; set while a follower waits for the leader's assignment. */
  syncWaiter: ((out: SyncGroupOutput) => void) | null = null;
  sessionTimer: unknown = null;

  constructor(
    readonly memberId: string,
    readonly groupInstanceId: string | null,
    readonly clientId: string,
    readonly clientHost: string,
    init: { protocolType: string; protocols: GroupProtocol[]; sessionTimeoutMs: number; rebalanceTimeoutMs: number },
  ) {
    this.protocolType = init.protocolType;
    this.protocols = init.protocols;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
  }

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  /** Same protocols, in the same order, with the same metadata: a rejoin that changes nothing. */
  matches(protocols: GroupProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every((p, i) => p.name === this.protocols[i].name && p.metadata.equals(this.protocols[i].metadata))
    );
  }

  metadataFor(protocolName: string): Buffer {
    return this.protocols.find((p) => p.name === protocolName)?.metadata ?? Buffer.alloc(0);
  }

  /** The member's most preferred protocol among the candidates. */
  vote(candidates: Set<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }
}

const VALID_PREVIOUS_STATES: Record<GroupState, GroupState[]> = {
  Empty: ['PreparingRebalance'],
  PreparingRebalance: ['Empty', 'Stable', 'CompletingRebalance'],
  CompletingRebalance: ['PreparingRebalance'],
  Stable: ['CompletingRebalance'],
  Dead: ['Empty', 'PreparingRebalance', 'CompletingRebalance', 'Stable', 'Dead'],
};

/**
 * The membership and state of one classic group, as Kafka's GroupMetadata.
 * Pure bookkeeping: timers and answers are the coordinator's business.
 */
export class ConsumerGroup {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  /** Insertion order matters: it decides the next leader on failover. */
  readonly members = new Map<string, GroupMember>();
  /** Member ids handed out with MEMBER_ID_REQUIRED, with their expiry timers. */
  readonly pendingMembers = new Map<string, unknown>();
  /** Members that got a join answer of this generation but have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  joinTimer: unknown = null;
  syncTimer: unknown = null;
  /** Set while the first rebalance of an empty group waits for more members (group.initial.rebalance.delay.ms). */
  initialDelay: { remainingMs: number; newMemberAdded: boolean } | null = null;

  constructor(readonly groupId: string) {}

  is(state: GroupState): boolean {
    return this.state === state;
  }

  transitionTo(state: GroupState): void {
    if (!VALID_PREVIOUS_STATES[state].includes(this.state)) {
      throw new Error(`group ${this.groupId}: illegal transition ${this.state} -> ${state}`);
    }
    this.state = state;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  add(member: GroupMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    if (this.leaderId === null) this.leaderId = member.memberId;
  }

  remove(memberId: string): void {
    this.members.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
    if (this.isLeader(memberId)) {
      // Prefer a member already waiting in this rebalance, so the join can complete with a leader that is present.
      const members = [...this.members.values()];
      this.leaderId = (members.find((m) => m.isAwaitingJoin) ?? members[0])?.memberId ?? null;
    }
    if (this.members.size === 0) this.protocolType = null;
  }

  findByInstanceId(groupInstanceId: string): GroupMember | undefined {
    for (const m of this.members.values()) if (m.groupInstanceId === groupInstanceId) return m;
    return undefined;
  }

  hasAllMembersJoined(): boolean {
    for (const m of this.members.values()) if (!m.isAwaitingJoin) return false;
    return this.pendingMembers.size === 0;
  }

  /** The longest rebalance timeout of the members: how long a rebalance waits for everyone to rejoin. */
  rebalanceTimeoutMs(): number {
    let max = 0;
    for (const m of this.members.values()) max = Math.max(max, m.rebalanceTimeoutMs);
    return max;
  }

  /** Protocols every current member supports. */
  candidateProtocols(): Set<string> {
    let candidates: string[] | null = null;
    for (const m of this.members.values()) {
      const names = new Set(m.protocols.map((p) => p.name));
      candidates = candidates === null ? [...names] : candidates.filter((n) => names.has(n));
    }
    return new Set(candidates ?? []);
  }

  /**
   * Whether a member with these protocols may join: an empty group takes any
   * non-empty set; otherwise the type must match and one protocol must be
   * supported by every current member.
   */
  supportsProtocols(protocolType: string, protocolNames: string[]): boolean {
    if (this.members.size === 0) return protocolType.length > 0 && protocolNames.length > 0;
    if (protocolType !== this.protocolType) return false;
    const candidates = this.candidateProtocols();
    return protocolNames.some((n) => candidates.has(n));
  }

  /** Kafka's choice: each member votes for its most preferred candidate; most votes wins, ties to the first voter's. */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const m of this.members.values()) {
      const choice = m.vote(candidates);
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best: string | null = null;
    let bestVotes = 0;
    for (const [name, n] of votes) {
      if (n > bestVotes) {
        best = name;
        bestVotes = n;
      }
    }
    if (best === null) throw new Error(`group ${this.groupId}: no protocol supported by all members`);
    return best;
  }

  /** Starts the next generation once the join phase ends: CompletingRebalance with members, Empty without. */
  initNextGeneration(): void {
    this.generationId++;
    this.pendingSyncMembers.clear();
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance');
    } else {
      this.protocolName = null;
      this.transitionTo('Empty');
    }
  }
}
