import { spawn, spawnSync } from 'node:child_process';
import { AssignerProtocol } from 'kafkajs';
import { type BrokerUnderTest, createTopics, kafkaFor, startBrokerUnderTest, unique, waitFor } from './test-broker';

jest.setTimeout(60_000);

const KCAT = process.env.KCAT_BIN ?? 'kcat';
const kcatAvailable = spawnSync(KCAT, ['-V'], { encoding: 'utf8' }).status === 0;
if (!kcatAvailable) {
  if (process.env.REQUIRE_KCAT === '1') {
    throw new Error(`REQUIRE_KCAT=1 but "${KCAT}" cannot be run: install kcat (Debian package "kcat")`);
  }
  console.warn(`kcat suite skipped: "${KCAT}" is not installed (set REQUIRE_KCAT=1 to make this a failure)`);
}
const describeKcat = kcatAvailable ? describe : describe.skip;

function kcat(args: string[], input?: string, timeoutMs = 20_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(KCAT, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

// Client-visible behaviour only: the same file runs on Apache Kafka in `npm run test:apache-kafka`.
describeKcat('kcat (librdkafka) against the broker under test (embedded, or Apache Kafka with KAFKA_BROKERS)', () => {
  let broker: BrokerUnderTest;
  let b: string;
  const codecsTopic = unique('kcat-codecs');
  const groupTopic = unique('kcat-group');
  const groupId = unique('kcat-members');

  beforeAll(async () => {
    broker = await startBrokerUnderTest({ defaults: { numPartitions: 1, configs: {} } });
    b = broker.address;
    const admin = kafkaFor(broker).admin();
    await admin.connect();
    await createTopics(admin, [{ topic: codecsTopic, numPartitions: 1 }, { topic: groupTopic, numPartitions: 4 }]);
    await admin.disconnect();
  });
  afterAll(async () => {
    await broker.close();
  });

  it('lists metadata (-L)', async () => {
    const { code, stdout } = await kcat(['-b', b, '-L']);
    expect(code).toBe(0);
    expect(stdout).toContain(`broker 1 at ${b}`);
    expect(stdout).toContain(`topic "${groupTopic}" with 4 partitions`);
  });

  it('produces with every codec and idempotence, then consumes from the beginning', async () => {
    const sent: string[] = [];
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd']) {
      const lines = Array.from({ length: 20 }, (_, i) => `${codec}-${i}-${'y'.repeat(50)}`);
      sent.push(...lines);
      const { code, stderr } = await kcat(['-b', b, '-P', '-t', codecsTopic, '-z', codec, '-X', 'enable.idempotence=true', '-K', ':'], lines.map((l) => `${codec}:${l}`).join('\n') + '\n');
      expect({ codec, code, stderr }).toEqual({ codec, code: 0, stderr: '' });
    }
    const { code, stdout } = await kcat(['-b', b, '-C', '-t', codecsTopic, '-o', 'beginning', '-e', '-f', '%k=%s\n']);
    expect(code).toBe(0);
    const got = stdout.trim().split('\n');
    expect(got).toEqual(sent.map((l) => `${l.split('-')[0]}=${l}`));

  });

  it('splits partitions between two -G group members', async () => {
    const member = (name: string) => {
      const child = spawn(KCAT, ['-b', b, '-G', groupId, '-u', '-X', 'auto.offset.reset=earliest', '-f', `${name} %p %s\n`, groupTopic], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: string[] = [];
      // A pipe read ends anywhere, also inside a line: keep the unfinished end for the next chunk.
      // (Splitting each chunk on its own cut lines like "m2 2 g-52" in two, so the value looked
      // unconsumed: the cause of this test's old flake.)
      let partial = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        const lines = (partial + d).split('\n');
        partial = lines.pop() ?? '';
        out.push(...lines.filter(Boolean));
      });
      return { child, out };
    };
    const m1 = member('m1');
    const m2 = member('m2');
    try {
      const admin = kafkaFor(broker).admin();
      await admin.connect();
      await waitFor(async () => {
        const [g] = (await admin.describeGroups([groupId])).groups;
        return g.state === 'Stable' && g.members.length === 2 && g.members.every((m) => m.memberAssignment.length > 0);
      }, 30_000, 'a stable group of two');
      await admin.disconnect();

      const lines = Array.from({ length: 80 }, (_, i) => `g-${i}`);
      // Keyed: librdkafka's partitioner spreads them over the 4 partitions.
      const produced = await kcat(['-b', b, '-P', '-t', groupTopic, '-K', ':'], lines.map((l) => `${l}:${l}`).join('\n') + '\n');
      expect(produced.code).toBe(0);
      // At least once: a rebalance may redeliver, so wait for every distinct value.
      const values = () => new Set([...m1.out, ...m2.out].map((l) => l.split(' ')[2]));
      try {
        await waitFor(() => lines.every((l) => values().has(l)), 30_000, 'both members to consume everything');
      } catch (e) {
        const missing = lines.filter((l) => !values().has(l));
        const dbg = kafkaFor(broker).admin();
        await dbg.connect();
        const [g] = (await dbg.describeGroups([groupId])).groups;
        const offs = await dbg.fetchOffsets({ groupId, topics: [groupTopic] });
        const ends = await dbg.fetchTopicOffsets(groupTopic);
        await dbg.disconnect();
        const partitions = (out: string[]) => [...new Set(out.map((line) => line.split(' ')[1]))];
        console.log(
          'kcat group diagnostics:',
          JSON.stringify({ missing, m1: { consumed: m1.out.length, partitions: partitions(m1.out) }, m2: { consumed: m2.out.length, partitions: partitions(m2.out) }, state: g.state, members: g.members.length, committed: offs, ends }),
        );
        throw e;
      }
      expect(m1.out.length).toBeGreaterThan(0);
      expect(m2.out.length).toBeGreaterThan(0);
      // The coordinator's view: two members, each owning a disjoint, non-empty share of the 4 partitions.
      const check = kafkaFor(broker).admin();
      await check.connect();
      const [group] = (await check.describeGroups([groupId])).groups;
      await check.disconnect();
      const shares = group.members.map((m) => AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[groupTopic] ?? []);
      expect(shares).toHaveLength(2);
      for (const share of shares) expect(share.length).toBeGreaterThan(0);
      expect([...shares[0], ...shares[1]].sort()).toEqual([0, 1, 2, 3]);
    } finally {
      m1.child.kill('SIGTERM');
      m2.child.kill('SIGTERM');
    }
  });
});
