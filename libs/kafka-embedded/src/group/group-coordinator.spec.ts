import { ErrorCode } from '../protocol/error-codes';
import { GroupCoordinator } from './group-coordinator';
import type { GroupProtocol, JoinGroupInput, JoinGroupOutput } from './group-coordinator.types';
import { ManualClock } from './manual-clock.fixture';

const SESSION_MS = 1000;
const REBALANCE_MS = 3000;

const range = (meta = 'sub:a'): GroupProtocol => ({ name: 'range', metadata: Buffer.from(meta) });
const roundrobin = (meta = 'sub:a'): GroupProtocol => ({ name: 'roundrobin', metadata: Buffer.from(meta) });

function joinInput(over: Partial<JoinGroupInput> = {}): JoinGroupInput {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [range()],
    sessionTimeoutMs: SESSION_MS,
    rebalanceTimeoutMs: REBALANCE_MS,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
    ...over,
  };
}

/** Whether a promise has settled, after letting pending callbacks run. */
async function isSettled(p: Promise<unknown>): Promise<boolean> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((r) => setImmediate(r));
  return settled;
}

describe('GroupCoordinator membership', () => {
  let clock: ManualClock;
  let gc: GroupCoordinator;

  function create(initialRebalanceDelayMs = 0): void {
    clock = new ManualClock();
    gc = new GroupCoordinator({
      dataDir: null,
      clock,
      initialRebalanceDelayMs,
      minSessionTimeoutMs: 100,
      maxSessionTimeoutMs: 10_000,
    });
  }

  beforeEach(() => create());
  afterEach(async () => {
    await gc.close();
    expect(clock.pendingTimers).toBe(0);
  });

  const heartbeat = (memberId: string, generationId: number): number =>
    gc.heartbeat({ groupId: 'g', memberId, generationId, groupInstanceId: null }).errorCode;

  const sync = (memberId: string, generationId: number, assignments: { memberId: string; assignment: Buffer }[] = []) =>
    gc.sync({ groupId: 'g', memberId, generationId, groupInstanceId: null, protocolType: null, protocolName: null, assignments });

  /** Two members in one generation, leader's assignment delivered: the common starting point. */
  async function stableGroupOfTwo(): Promise<{ a: JoinGroupOutput; b: JoinGroupOutput }> {
    create(100);
    const pa = gc.join(joinInput({ clientId: 'a', protocols: [range('meta-a')] }));
    const pb = gc.join(joinInput({ clientId: 'b', protocols: [range('meta-b')] }));
    clock.advance(200);
    const [a, b] = await Promise.all([pa, pb]);
    const leader = a.leader === a.memberId ? a : b;
    const follower = leader === a ? b : a;
    const followerSync = sync(follower.memberId, follower.generationId);
    await sync(leader.memberId, leader.generationId, [
      { memberId: leader.memberId, assignment: Buffer.from('for-leader') },
      { memberId: follower.memberId, assignment: Buffer.from('for-follower') },
    ]);
    await followerSync;
    return { a, b };
  }

  it('two members join in one generation; the leader gets the members, sync delivers the assignments', async () => {
    create(100);
    const pa = gc.join(joinInput({ clientId: 'a', protocols: [range('meta-a')] }));
    const pb = gc.join(joinInput({ clientId: 'b', protocols: [range('meta-b')] }));
    // The initial delay holds both joins so they land in the same generation.
    clock.advance(99);
    expect(await isSettled(pa)).toBe(false);
    expect(gc.describeGroups(['g'])[0].groupState).toBe('PreparingRebalance');
    clock.advance(200);
    const [a, b] = await Promise.all([pa, pb]);

    expect(a).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolType: 'consumer', protocolName: 'range' });
    expect(b.generationId).toBe(1);
    expect(a.memberId).toMatch(/^a-[0-9a-f-]{36}$/);
    expect(a.leader).toBe(a.memberId);
    expect(b.leader).toBe(a.memberId);
    expect(a.members.map((m) => [m.memberId, m.metadata.toString()])).toEqual([
      [a.memberId, 'meta-a'],
      [b.memberId, 'meta-b'],
    ]);
    expect(b.members).toEqual([]);
    expect(gc.describeGroups(['g'])[0].groupState).toBe('CompletingRebalance');

    // The follower's SyncGroup is held until the leader sends the assignment.
    const followerSync = sync(b.memberId, 1);
    expect(await isSettled(followerSync)).toBe(false);
    const leaderSync = await sync(a.memberId, 1, [{ memberId: b.memberId, assignment: Buffer.from('for-b') }]);
    const followerAnswer = await followerSync;

    expect(followerAnswer).toMatchObject({ errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range' });
    expect(followerAnswer.assignment.toString()).toBe('for-b');
    // The leader gave itself nothing: it gets an empty buffer, not an error.
    expect(leaderSync.errorCode).toBe(ErrorCode.NONE);
    expect(leaderSync.assignment.length).toBe(0);

    const [described] = gc.describeGroups(['g']);
    expect(described).toMatchObject({ errorCode: ErrorCode.NONE, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(described.members.find((m) => m.memberId === b.memberId)?.memberAssignment.toString()).toBe('for-b');
    expect(heartbeat(a.memberId, 1)).toBe(ErrorCode.NONE);
    expect(gc.stats()).toEqual({
      groups: 1,
      membersByState: { Empty: 0, PreparingRebalance: 0, CompletingRebalance: 0, Stable: 2, Dead: 0 },
    });
    // A late SyncGroup in Stable gets the current assignment.
    expect((await sync(b.memberId, 1)).assignment.toString()).toBe('for-b');
  });

  it('a third member triggers a rebalance: held joins are answered once everyone rejoined, generation + 1', async () => {
    const { a, b } = await stableGroupOfTwo();
    const pc = gc.join(joinInput({ clientId: 'c' }));
    expect(await isSettled(pc)).toBe(false);
    // Heartbeats tell the current members to rejoin.
    expect(heartbeat(a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(heartbeat(b.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const pa = gc.join(joinInput({ clientId: 'a', memberId: a.memberId }));
    expect(await isSettled(pa)).toBe(false);
    const pb = gc.join(joinInput({ clientId: 'b', memberId: b.memberId }));
    const [a2, b2, c] = await Promise.all([pa, pb, pc]);
    for (const r of [a2, b2, c]) expect(r).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: a.memberId });
    expect(a2.members).toHaveLength(3);
    expect(c.members).toEqual([]);
    // The old generation is now illegal.
    expect(heartbeat(b.memberId, 1)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(heartbeat(b.memberId, 2)).toBe(ErrorCode.NONE); // heartbeats during CompletingRebalance are fine
  });

  it('a member that stops heartbeating is evicted after its session timeout and the others rebalance', async () => {
    const { a, b } = await stableGroupOfTwo();
    for (let t = 0; t < 2; t++) {
      clock.advance(SESSION_MS * 0.4);
      expect(heartbeat(a.memberId, 1)).toBe(ErrorCode.NONE);
    }
    clock.advance(SESSION_MS * 0.5);
    // b has been silent for 1.3 session timeouts.
    expect(heartbeat(b.memberId, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(heartbeat(a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const a2 = await gc.join(joinInput({ clientId: 'a', memberId: a.memberId }));
    expect(a2).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: a.memberId });
    expect(a2.members.map((m) => m.memberId)).toEqual([a.memberId]);
  });

  it('the last member expiring leaves the group Empty', async () => {
    const a = await gc.join(joinInput());
    await sync(a.memberId, 1, [{ memberId: a.memberId, assignment: Buffer.from('x') }]);
    clock.advance(SESSION_MS + 1);
    // No offsets and no members: the group is forgotten, and described as Dead like Kafka.
    expect(gc.describeGroups(['g'])[0]).toMatchObject({ groupState: 'Dead', errorCode: ErrorCode.NONE, members: [] });
    expect(gc.listGroups()).toEqual([]);
  });

  it('members that do not rejoin within the rebalance timeout are removed', async () => {
    const { a, b } = await stableGroupOfTwo();
    const pc = gc.join(joinInput({ clientId: 'c', rebalanceTimeoutMs: 500 }));
    const pa = gc.join(joinInput({ clientId: 'a', memberId: a.memberId }));
    // b keeps heartbeating (told to rejoin) but never rejoins.
    for (let t = 0; t < REBALANCE_MS - 500; t += 500) {
      clock.advance(500);
      expect(heartbeat(b.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    }
    clock.advance(499);
    expect(await isSettled(pa)).toBe(false);
    clock.advance(1);
    const [a2, c] = await Promise.all([pa, pc]);
    expect(a2.generationId).toBe(2);
    expect(a2.members.map((m) => m.memberId).sort()).toEqual([a.memberId, c.memberId].sort());
    expect(heartbeat(b.memberId, 2)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('batched leave removes members with per-member errors and triggers a rebalance', async () => {
    const { a, b } = await stableGroupOfTwo();
    const pc = gc.join(joinInput({ clientId: 'c' }));
    const out = gc.leave({
      groupId: 'g',
      members: [
        { memberId: b.memberId, groupInstanceId: null },
        { memberId: 'nobody', groupInstanceId: null },
      ],
    });
    expect(out).toEqual({
      errorCode: ErrorCode.NONE,
      members: [
        { memberId: b.memberId, groupInstanceId: null, errorCode: ErrorCode.NONE },
        { memberId: 'nobody', groupInstanceId: null, errorCode: ErrorCode.UNKNOWN_MEMBER_ID },
      ],
    });
    const a2 = await gc.join(joinInput({ clientId: 'a', memberId: a.memberId }));
    const c = await pc;
    expect(a2.members.map((m) => m.memberId).sort()).toEqual([a.memberId, c.memberId].sort());

    // A member whose join is held gets an answer when it leaves.
    const pa = gc.join(joinInput({ clientId: 'a', memberId: a.memberId, protocols: [range('changed')] }));
    expect(await isSettled(pa)).toBe(false);
    const leaveBoth = gc.leave({
      groupId: 'g',
      members: [
        { memberId: a.memberId, groupInstanceId: null },
        { memberId: c.memberId, groupInstanceId: null },
      ],
    });
    expect(leaveBoth.members.map((m) => m.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    expect((await pa).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(gc.describeGroups(['g'])[0].groupState).toBe('Dead');
    // A group that does not exist answers each member UNKNOWN_MEMBER_ID.
    expect(gc.leave({ groupId: 'other', members: [{ memberId: 'x', groupInstanceId: null }] }).members[0].errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
  });

  it('leader failover: when the leader leaves, the next rebalance elects a remaining member', async () => {
    const { a, b } = await stableGroupOfTwo();
    gc.leave({ groupId: 'g', members: [{ memberId: a.memberId, groupInstanceId: null }] });
    expect(heartbeat(b.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    const b2 = await gc.join(joinInput({ clientId: 'b', memberId: b.memberId }));
    expect(b2).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leader: b.memberId });
    expect(b2.members.map((m) => m.memberId)).toEqual([b.memberId]);
  });

  it('leader failover: a leader that never syncs expires and the held follower sync is answered', async () => {
    create(100);
    const pa = gc.join(joinInput({ clientId: 'a' }));
    const pb = gc.join(joinInput({ clientId: 'b' }));
    clock.advance(200);
    const [a, b] = await Promise.all([pa, pb]);
    const followerSync = sync(b.memberId, 1);
    // b heartbeats; a (the leader) is silent and never sends SyncGroup.
    clock.advance(SESSION_MS / 2);
    expect(heartbeat(b.memberId, 1)).toBe(ErrorCode.NONE);
    expect(await isSettled(followerSync)).toBe(false);
    clock.advance(SESSION_MS / 2 + 1);
    expect((await followerSync).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(heartbeat(a.memberId, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const b2 = await gc.join(joinInput({ clientId: 'b', memberId: b.memberId }));
    expect(b2).toMatchObject({ generationId: 2, leader: b.memberId });
  });

  it('a member that heartbeats but never syncs is removed after the rebalance timeout', async () => {
    create(100);
    const pa = gc.join(joinInput({ clientId: 'a' }));
    const pb = gc.join(joinInput({ clientId: 'b' }));
    clock.advance(200);
    const [a, b] = await Promise.all([pa, pb]);
    await sync(a.memberId, 1, []);
    for (let t = 0; t < REBALANCE_MS; t += SESSION_MS / 2) {
      clock.advance(SESSION_MS / 2);
      heartbeat(a.memberId, 1);
      heartbeat(b.memberId, 1);
    }
    expect(heartbeat(b.memberId, 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(heartbeat(a.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
  });

  it('MEMBER_ID_REQUIRED: the first join gets a member id, the rejoin with it is admitted', async () => {
    const first = await gc.join(joinInput({ clientId: 'kafkajs', requireKnownMemberId: true }));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^kafkajs-[0-9a-f-]{36}$/);
    const second = await gc.join(joinInput({ clientId: 'kafkajs', memberId: first.memberId, requireKnownMemberId: true }));
    expect(second).toMatchObject({ errorCode: ErrorCode.NONE, memberId: first.memberId, leader: first.memberId, generationId: 1 });
    // An id the coordinator never handed out is refused.
    const bogus = await gc.join(joinInput({ memberId: 'made-up', requireKnownMemberId: true }));
    expect(bogus.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const noGroup = await gc.join(joinInput({ groupId: 'nope', memberId: 'made-up' }));
    expect(noGroup.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('a pending member id holds the rebalance until it rejoins or its session expires', async () => {
    const { a, b } = await stableGroupOfTwo();
    const pending = await gc.join(joinInput({ clientId: 'c', requireKnownMemberId: true }));
    expect(pending.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    // A pending member does not by itself start a rebalance.
    expect(heartbeat(a.memberId, 1)).toBe(ErrorCode.NONE);
    const pd = gc.join(joinInput({ clientId: 'd' }));
    const pa = gc.join(joinInput({ clientId: 'a', memberId: a.memberId }));
    const pb = gc.join(joinInput({ clientId: 'b', memberId: b.memberId }));
    expect(await isSettled(pa)).toBe(false);
    // c never comes back: its pending id expires after the session timeout and the join completes.
    clock.advance(SESSION_MS);
    const [a2, , d] = await Promise.all([pa, pb, pd]);
    expect(a2.members.map((m) => m.memberId).sort()).toEqual([a.memberId, b.memberId, d.memberId].sort());
    expect((await gc.join(joinInput({ clientId: 'c', memberId: pending.memberId }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('a pending member id can leave', async () => {
    const pending = await gc.join(joinInput({ requireKnownMemberId: true }));
    const out = gc.leave({ groupId: 'g', members: [{ memberId: pending.memberId, groupInstanceId: null }] });
    expect(out.members[0].errorCode).toBe(ErrorCode.NONE);
    expect((await gc.join(joinInput({ memberId: pending.memberId }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('the initial delay extends while members keep joining, but not beyond the rebalance timeout', async () => {
    create(1000);
    const first = gc.join(joinInput({ clientId: 'a', rebalanceTimeoutMs: 2500 }));
    clock.advance(900);
    const second = gc.join(joinInput({ clientId: 'b', rebalanceTimeoutMs: 2500 }));
    clock.advance(900); // 1800: b joined during the first delay, so the coordinator waits one more
    const third = gc.join(joinInput({ clientId: 'c', rebalanceTimeoutMs: 2500 }));
    expect(await isSettled(first)).toBe(false);
    clock.advance(699); // 2499
    expect(await isSettled(first)).toBe(false);
    clock.advance(1); // 2500 = the rebalance timeout caps the waiting
    const answers = await Promise.all([first, second, third]);
    expect(answers.map((r) => r.generationId)).toEqual([1, 1, 1]);
    expect(answers[0].members).toHaveLength(3);
  });

  it('rejoins in a Stable group: a follower with the same metadata gets the current generation, the leader rebalances', async () => {
    const { a, b } = await stableGroupOfTwo();
    const again = await gc.join(joinInput({ clientId: 'b', memberId: b.memberId, protocols: [range('meta-b')] }));
    expect(again).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, leader: a.memberId, members: [] });
    expect(gc.describeGroups(['g'])[0].groupState).toBe('Stable');

    // Changed metadata from a follower does rebalance.
    const changed = gc.join(joinInput({ clientId: 'b', memberId: b.memberId, protocols: [range('new-sub')] }));
    expect(gc.describeGroups(['g'])[0].groupState).toBe('PreparingRebalance');
    const a2 = await gc.join(joinInput({ clientId: 'a', memberId: a.memberId, protocols: [range('meta-a')] }));
    expect((await changed).generationId).toBe(2);
    expect(a2.members.find((m) => m.memberId === b.memberId)?.metadata.toString()).toBe('new-sub');
    await sync(a.memberId, 2, []);

    // The leader rejoining with the same metadata also rebalances (it may have seen new partitions).
    const pa = gc.join(joinInput({ clientId: 'a', memberId: a.memberId, protocols: [range('meta-a')] }));
    expect(gc.describeGroups(['g'])[0].groupState).toBe('PreparingRebalance');
    const pb = gc.join(joinInput({ clientId: 'b', memberId: b.memberId, protocols: [range('new-sub')] }));
    expect((await pa).generationId).toBe(3);
    expect((await pb).generationId).toBe(3);
  });

  it('chooses the protocol all members support, by votes in preference order', async () => {
    create(100);
    const joins = [
      // The first member prefers range, but two of three prefer roundrobin.
      gc.join(joinInput({ clientId: 'a', protocols: [range(), roundrobin()] })),
      gc.join(joinInput({ clientId: 'b', protocols: [roundrobin(), range()] })),
      gc.join(joinInput({ clientId: 'c', protocols: [roundrobin(), range(), { name: 'sticky', metadata: Buffer.alloc(0) }] })),
    ];
    clock.advance(300);
    const answers = await Promise.all(joins);
    expect(answers.map((r) => r.protocolName)).toEqual(['roundrobin', 'roundrobin', 'roundrobin']);
    const leader = answers.find((r) => r.members.length > 0);
    expect(leader?.members.every((m) => m.metadata.toString() === 'sub:a')).toBe(true);
  });

  it('answers JoinGroup errors: session timeout bounds, inconsistent protocols, invalid group id', async () => {
    expect((await gc.join(joinInput({ sessionTimeoutMs: 99 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await gc.join(joinInput({ sessionTimeoutMs: 10_001 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await gc.join(joinInput({ groupId: '' }))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await gc.join(joinInput({ protocols: [] }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await gc.join(joinInput({ protocolType: '' }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(gc.listGroups()).toEqual([]); // failed joins leave no group behind

    const a = await gc.join(joinInput({ protocols: [range()] }));
    expect(a.errorCode).toBe(ErrorCode.NONE);
    expect((await gc.join(joinInput({ protocolType: 'connect' }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await gc.join(joinInput({ protocols: [roundrobin()] }))).errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect(gc.listGroups()).toEqual([{ groupId: 'g', protocolType: 'consumer', groupState: 'CompletingRebalance' }]);
  });

  it('answers SyncGroup and Heartbeat errors', async () => {
    const { a, b } = await stableGroupOfTwo();
    expect((await sync('stranger', 1)).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await sync(a.memberId, 7)).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(
      (
        await gc.sync({
          groupId: 'g', memberId: a.memberId, generationId: 1, groupInstanceId: null,
          protocolType: 'consumer', protocolName: 'roundrobin', assignments: [],
        })
      ).errorCode,
    ).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    expect((await gc.sync({ groupId: 'none', memberId: 'x', generationId: 1, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] })).errorCode).toBe(
      ErrorCode.UNKNOWN_MEMBER_ID,
    );
    expect(heartbeat('stranger', 1)).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(heartbeat(a.memberId, 0)).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(gc.heartbeat({ groupId: 'none', memberId: 'x', generationId: 1, groupInstanceId: null }).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);

    const pc = gc.join(joinInput({ clientId: 'c' }));
    // While the group prepares a rebalance, SyncGroup is refused so the member rejoins.
    expect((await sync(b.memberId, 1)).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(heartbeat(b.memberId, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    await close();
    expect((await pc).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });

  it('a rebalance starting while followers wait for SyncGroup answers them REBALANCE_IN_PROGRESS', async () => {
    create(100);
    const pa = gc.join(joinInput({ clientId: 'a' }));
    const pb = gc.join(joinInput({ clientId: 'b' }));
    clock.advance(200);
    const [, b] = await Promise.all([pa, pb]);
    const held = sync(b.memberId, 1);
    const pc = gc.join(joinInput({ clientId: 'c' }));
    expect((await held).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(await isSettled(pc)).toBe(false);
  });

  it('close() answers held joins and syncs with COORDINATOR_NOT_AVAILABLE and clears every timer', async () => {
    create(100);
    const pa = gc.join(joinInput({ clientId: 'a' }));
    const pb = gc.join(joinInput({ clientId: 'b' }));
    clock.advance(200);
    const [, b] = await Promise.all([pa, pb]);
    const heldSync = sync(b.memberId, 1);
    const pending = await gc.join(joinInput({ groupId: 'h', requireKnownMemberId: true }));
    const pendingOnly = await gc.join(joinInput({ groupId: 'h', requireKnownMemberId: true }));
    expect(pendingOnly.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    // Held by the initial delay, and by the second pending member.
    const heldJoin = gc.join(joinInput({ groupId: 'h', memberId: pending.memberId }));
    expect(await isSettled(heldJoin)).toBe(false);
    await close();
    expect((await heldSync).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect((await heldJoin).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(clock.pendingTimers).toBe(0);
    expect((await gc.join(joinInput())).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(gc.heartbeat({ groupId: 'g', memberId: b.memberId, generationId: 1, groupInstanceId: null }).errorCode).toBe(
      ErrorCode.COORDINATOR_NOT_AVAILABLE,
    );
  });

  async function close(): Promise<void> {
    await gc.close();
  }
});

describe('GroupCoordinator with real timers', () => {
  it('holds the first join for the initial delay, expires a silent member, and leaves no timer behind', async () => {
    const gc = new GroupCoordinator({ dataDir: null, initialRebalanceDelayMs: 30, minSessionTimeoutMs: 50 });
    try {
      const started = Date.now();
      const a = await gc.join(joinInput({ sessionTimeoutMs: 100, rebalanceTimeoutMs: 200 }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(25);
      expect(a).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 });
      await gc.sync({ groupId: 'g', memberId: a.memberId, generationId: 1, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
      await new Promise((r) => setTimeout(r, 180));
      expect(gc.heartbeat({ groupId: 'g', memberId: a.memberId, generationId: 1, groupInstanceId: null }).errorCode).toBe(
        ErrorCode.UNKNOWN_MEMBER_ID,
      );
      // A new member's join is held by the initial delay when close() arrives.
      const held = gc.join(joinInput({ sessionTimeoutMs: 100, rebalanceTimeoutMs: 5000 }));
      await gc.close();
      expect((await held).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    } finally {
      await gc.close();
    }
  });
});
