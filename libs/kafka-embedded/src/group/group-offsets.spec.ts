import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { ErrorCode } from '../protocol/error-codes';
import { GroupCoordinator, type GroupCoordinatorConfig } from './group-coordinator';
import type { JoinGroupInput, OffsetCommitInput } from './group-coordinator.types';
import { ManualClock } from './manual-clock.fixture';

function joinInput(over: Partial<JoinGroupInput> = {}): JoinGroupInput {
  return {
    groupId: 'g',
    memberId: '',
    groupInstanceId: null,
    protocolType: 'consumer',
    protocols: [{ name: 'range', metadata: Buffer.from('m') }],
    sessionTimeoutMs: 1000,
    rebalanceTimeoutMs: 1000,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    requireKnownMemberId: false,
    ...over,
  };
}

function commitInput(over: Partial<OffsetCommitInput> & { offset?: bigint; partition?: number; topic?: string; metadata?: string | null }): OffsetCommitInput {
  const { offset = 10n, partition = 0, topic = 'orders', metadata = null, ...rest } = over;
  return {
    groupId: 'g',
    generationId: -1,
    memberId: '',
    groupInstanceId: null,
    topics: [{ name: topic, partitions: [{ partitionIndex: partition, committedOffset: offset, committedMetadata: metadata }] }],
    ...rest,
  };
}

const errorsOf = (out: { topics: { partitions: { errorCode: number }[] }[] }): number[] =>
  out.topics.flatMap((t) => t.partitions.map((p) => p.errorCode));

describe('GroupCoordinator offsets', () => {
  let dir: string;
  let clock: ManualClock;
  const open: GroupCoordinator[] = [];

  function create(over: Partial<GroupCoordinatorConfig> = {}): GroupCoordinator {
    const gc = new GroupCoordinator({
      dataDir: dir,
      clock,
      fsync: 'always',
      initialRebalanceDelayMs: 0,
      minSessionTimeoutMs: 100,
      partitionExists: (topic, partition) => topic !== 'missing' && partition < 4,
      ...over,
    });
    open.push(gc);
    return gc;
  }

  const fetchOne = (gc: GroupCoordinator, topic = 'orders', partition = 0, groupId = 'g') =>
    gc.fetchOffsets({ groupId, topics: [{ name: topic, partitionIndexes: [partition] }] }).topics[0].partitions[0];

  const logFile = (): string => path.join(dir, '__consumer_offsets', 'offsets.log');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'group-offsets-'));
    clock = new ManualClock();
  });
  afterEach(async () => {
    for (const gc of open.splice(0)) await gc.close();
    expect(clock.pendingTimers).toBe(0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a member commits with its generation; fetch answers the offset, or -1 where nothing is committed', async () => {
    const gc = create();
    const a = await gc.join(joinInput());
    await gc.sync({ groupId: 'g', memberId: a.memberId, generationId: 1, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });
    const out = await gc.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, committedOffset: 42n, committedMetadata: 'm0' },
            { partitionIndex: 1, committedOffset: 7n, committedMetadata: null },
          ],
        },
      ],
    });
    expect(out).toEqual({
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, errorCode: 0 }, { partitionIndex: 1, errorCode: 0 }] }],
    });
    expect(gc.fetchOffsets({ groupId: 'g', topics: [{ name: 'orders', partitionIndexes: [0, 1, 2] }] })).toEqual({
      errorCode: ErrorCode.NONE,
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, committedOffset: 42n, metadata: 'm0', errorCode: 0 },
            { partitionIndex: 1, committedOffset: 7n, metadata: '', errorCode: 0 },
            { partitionIndex: 2, committedOffset: -1n, metadata: '', errorCode: 0 },
          ],
        },
      ],
    });
    // topics null = everything the group committed.
    const all = gc.fetchOffsets({ groupId: 'g', topics: null });
    expect(all.topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)])).toEqual([['orders', [42n, 7n]]]);
    expect(fetchOne(gc, 'orders', 0, 'unknown-group').committedOffset).toBe(-1n);
    expect(gc.fetchOffsets({ groupId: 'unknown-group', topics: null }).topics).toEqual([]);
  });

  it('answers commit errors as Kafka: generation, member, rebalance, outsider, partition, metadata size', async () => {
    const gc = create();
    const a = await gc.join(joinInput({ clientId: 'a' }));
    // CompletingRebalance: the member has the new generation but no assignment yet.
    expect(errorsOf(await gc.commitOffsets(commitInput({ generationId: 1, memberId: a.memberId })))).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]);
    await gc.sync({ groupId: 'g', memberId: a.memberId, generationId: 1, groupInstanceId: null, protocolType: null, protocolName: null, assignments: [] });

    expect(errorsOf(await gc.commitOffsets(commitInput({ generationId: 0, memberId: a.memberId })))).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(errorsOf(await gc.commitOffsets(commitInput({ generationId: 1, memberId: 'stranger' })))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    // Outsiders (admin setOffsets) may not commit while the group has members.
    expect(errorsOf(await gc.commitOffsets(commitInput({})))).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    // A generation for a group that does not exist is stale.
    expect(errorsOf(await gc.commitOffsets(commitInput({ groupId: 'fresh', generationId: 3, memberId: 'm' })))).toEqual([ErrorCode.ILLEGAL_GENERATION]);

    const out = await gc.commitOffsets({
      groupId: 'g',
      generationId: 1,
      memberId: a.memberId,
      groupInstanceId: null,
      topics: [
        { name: 'missing', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedMetadata: null }] },
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 9, committedOffset: 1n, committedMetadata: null },
            { partitionIndex: 0, committedOffset: 1n, committedMetadata: 'x'.repeat(4097) },
            { partitionIndex: 1, committedOffset: 5n, committedMetadata: 'x'.repeat(4096) },
          ],
        },
      ],
    });
    expect(errorsOf(out)).toEqual([
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
      ErrorCode.OFFSET_METADATA_TOO_LARGE,
      ErrorCode.NONE,
    ]);
    expect(fetchOne(gc, 'orders', 0).committedOffset).toBe(-1n);
    expect(fetchOne(gc, 'orders', 1).committedOffset).toBe(5n);

    // During PreparingRebalance a member may still commit with the current generation.
    const pb = gc.join(joinInput({ clientId: 'b' }));
    expect(errorsOf(await gc.commitOffsets(commitInput({ generationId: 1, memberId: a.memberId, offset: 11n })))).toEqual([ErrorCode.NONE]);
    gc.leave({ groupId: 'g', members: [{ memberId: a.memberId, groupInstanceId: null }] });
    const b = await pb;
    gc.leave({ groupId: 'g', members: [{ memberId: b.memberId, groupInstanceId: null }] });
    // Empty again: now the outsider commit is accepted.
    expect(gc.describeGroups(['g'])[0].groupState).toBe('Empty');
    expect(errorsOf(await gc.commitOffsets(commitInput({ offset: 99n })))).toEqual([ErrorCode.NONE]);
    expect(fetchOne(gc).committedOffset).toBe(99n);
  });

  it('an outsider commit creates the group, Empty, and it is listed', async () => {
    const gc = create();
    expect(errorsOf(await gc.commitOffsets(commitInput({ groupId: 'admin-set' })))).toEqual([ErrorCode.NONE]);
    expect(gc.listGroups()).toEqual([{ groupId: 'admin-set', protocolType: '', groupState: 'Empty' }]);
    expect(gc.describeGroups(['admin-set', 'never'])).toEqual([
      { errorCode: 0, groupId: 'admin-set', groupState: 'Empty', protocolType: '', protocolData: '', members: [] },
      { errorCode: 0, groupId: 'never', groupState: 'Dead', protocolType: '', protocolData: '', members: [] },
    ]);
    // A commit that stores nothing leaves no group behind.
    await gc.commitOffsets(commitInput({ groupId: 'nothing', topic: 'missing' }));
    expect(gc.listGroups().map((g) => g.groupId)).toEqual(['admin-set']);
  });

  it('committed offsets survive a restart on the same dataDir', async () => {
    const first = create();
    await first.commitOffsets(commitInput({ offset: 5n, metadata: 'meta' }));
    await first.commitOffsets(commitInput({ offset: 6n, partition: 1 }));
    await first.commitOffsets(commitInput({ offset: 7n }));
    await first.commitOffsets(commitInput({ groupId: 'other', topic: 'payments', offset: 1n }));
    // No close(): as after kill -9, only what was written (and fsynced) counts.
    const second = create();
    expect(fetchOne(second)).toEqual({ partitionIndex: 0, committedOffset: 7n, metadata: '', errorCode: 0 });
    expect(fetchOne(second, 'orders', 1).committedOffset).toBe(6n);
    expect(fetchOne(second, 'payments', 0, 'other').committedOffset).toBe(1n);
    expect(second.listGroups().map((g) => [g.groupId, g.groupState]).sort()).toEqual([
      ['g', 'Empty'],
      ['other', 'Empty'],
    ]);
  });

  it('in-memory mode (dataDir null) keeps offsets without touching disk', async () => {
    const gc = create({ dataDir: null });
    await gc.commitOffsets(commitInput({ offset: 3n }));
    expect(fetchOne(gc).committedOffset).toBe(3n);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('ignores and truncates a torn last record', async () => {
    const first = create();
    await first.commitOffsets(commitInput({ offset: 5n }));
    await first.close();
    // A crash mid-write leaves half a line without its newline.
    fs.appendFileSync(logFile(), '{"type":"commit","group":"g","offsets":[["orders",0,"9');
    const second = create();
    expect(fetchOne(second).committedOffset).toBe(5n);
    expect(fs.readFileSync(logFile(), 'utf8').endsWith('\n')).toBe(true);
    // Later appends start on a clean line and replay correctly.
    await second.commitOffsets(commitInput({ offset: 6n }));
    await second.close();
    expect(fetchOne(create()).committedOffset).toBe(6n);
  });

  it('skips a corrupt record in the middle of the log', async () => {
    const first = create();
    await first.commitOffsets(commitInput({ offset: 5n }));
    await first.close();
    fs.appendFileSync(logFile(), 'garbage\n');
    fs.appendFileSync(logFile(), `${JSON.stringify({ type: 'commit', group: 'g', offsets: [['orders', 1, '8', '', 0]] })}\n`);
    const second = create();
    expect(fetchOne(second).committedOffset).toBe(5n);
    expect(fetchOne(second, 'orders', 1).committedOffset).toBe(8n);
  });

  it('deleteTopic forgets the topic offsets durably', async () => {
    const first = create();
    await first.commitOffsets(commitInput({ offset: 5n }));
    await first.commitOffsets(commitInput({ topic: 'payments', offset: 2n }));
    await first.commitOffsets(commitInput({ groupId: 'only-orders', offset: 1n }));
    await first.deleteTopic('orders');
    expect(fetchOne(first).committedOffset).toBe(-1n);
    expect(fetchOne(first, 'payments').committedOffset).toBe(2n);
    // A group left with no offsets and no members is gone.
    expect(first.listGroups().map((g) => g.groupId)).toEqual(['g']);
    const second = create();
    expect(fetchOne(second).committedOffset).toBe(-1n);
    expect(fetchOne(second, 'payments').committedOffset).toBe(2n);
    expect(second.fetchOffsets({ groupId: 'only-orders', topics: null }).topics).toEqual([]);
  });

  it('compacts the log when it grows, keeping the latest offsets', async () => {
    const first = create({ compactAfterRecords: 10 });
    for (let i = 1; i <= 35; i++) await first.commitOffsets(commitInput({ offset: BigInt(i), partition: i % 2 }));
    // Concurrent commits share one write; their order is kept.
    await Promise.all([1, 2, 3].map((i) => first.commitOffsets(commitInput({ offset: BigInt(100 + i), partition: 3 }))));
    const lines = fs.readFileSync(logFile(), 'utf8').split('\n').filter(Boolean);
    expect(lines.length).toBeLessThan(12);
    expect(fs.existsSync(`${logFile()}.tmp`)).toBe(false);
    const second = create();
    expect(fetchOne(second, 'orders', 1).committedOffset).toBe(35n);
    expect(fetchOne(second, 'orders', 0).committedOffset).toBe(34n);
    expect(fetchOne(second, 'orders', 3).committedOffset).toBe(103n);
  });

  it('answers COORDINATOR_NOT_AVAILABLE after close and flushes pending commits first', async () => {
    const gc = create();
    const pending = gc.commitOffsets(commitInput({ offset: 12n }));
    await gc.close();
    expect(errorsOf(await pending)).toEqual([ErrorCode.NONE]);
    expect(errorsOf(await gc.commitOffsets(commitInput({ offset: 13n })))).toEqual([ErrorCode.COORDINATOR_NOT_AVAILABLE]);
    expect(fetchOne(create()).committedOffset).toBe(12n);
  });
});
