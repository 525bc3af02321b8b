/**
 * `npm run bench:broker [-- --target embedded|apache|both] [--fsync always|never] [--messages 100000]`
 * (BENCH_IN_FLIGHT: batches in flight, default 4)
 * Runs each broker in a process of its own (so its CPU is measured alone): the embedded broker in
 * a child process, Apache Kafka (the pinned version, KRaft: `npm run kafka:apache`) in its JVM; then, on
 * each, the same kafkajs workload: produce and consume throughput (1 KiB messages, batches of 100),
 * fetch wake-up latency (produce → consumer sees it), and the broker's CPU with 10 idle consumers.
 * With both (the default) it ends with the figures side by side and their ratio.
 */
import { ChildProcess, fork, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Kafka, logLevel } from 'kafkajs';
import { SILENT_LOGGER, startBroker } from '../src';

type ChildMessage = { address: string } | { cpu: NodeJS.CpuUsage };

async function runBrokerChild(): Promise<void> {
  const dataDir = process.env.BENCH_DATA_DIR!;
  const fsync = process.env.BENCH_FSYNC === 'never' ? 'never' : 'always';
  const broker = await startBroker({ port: 0, dataDir, fsync, logger: SILENT_LOGGER, groups: { initialRebalanceDelayMs: 0 } });
  process.send!({ address: broker.address } satisfies ChildMessage);
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'cpu') process.send!({ cpu: process.cpuUsage() } satisfies ChildMessage);
    if (m.cmd === 'stop') broker.close().then(() => process.exit(0));
  });
}

function ask(child: ChildProcess): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    const on = (m: ChildMessage) => {
      if ('cpu' in m) {
        child.off('message', on);
        resolve(m.cpu);
      }
    };
    child.on('message', on);
    child.send({ cmd: 'cpu' });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface BrokerUnderBench {
  name: string;
  address: string;
  /** The broker process's CPU time so far, in ms. */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

interface Figures {
  produce: number;
  consume: number;
  wakeP50: number;
  wakeP90: number;
  idleCpu: number;
}

async function startEmbedded(fsync: string): Promise<BrokerUnderBench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-bench-'));
  const child = fork(__filename, ['--broker-child'], {
    env: { ...process.env, BENCH_DATA_DIR: dataDir, BENCH_FSYNC: fsync },
    execArgv: ['-r', '@swc-node/register'],
  });
  const address = await new Promise<string>((resolve) => child.once('message', (m: ChildMessage) => 'address' in m && resolve(m.address)));
  return {
    name: `embedded (fsync ${fsync})`,
    address,
    cpuMs: async () => {
      const cpu = await ask(child);
      return (cpu.user + cpu.system) / 1000;
    },
    stop: async () => {
      child.send({ cmd: 'stop' });
      await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `npm run kafka:apache` as a child process (its JSON line gives the address and the JVM's pid). */
async function startApache(): Promise<BrokerUnderBench> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-bench-apache-'));
  const root = path.resolve(__dirname, '../../..');
  const child = spawn(process.execPath, ['scripts/run-ts.js', 'tools/apache-kafka/cli.ts', '--port', '0', '--data-dir', dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await new Promise<{ listening: string; pid: number; version: string }>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{"listening"'));
      if (line) resolve(JSON.parse(line));
    });
    void exited.then(() => reject(new Error('kafka:apache exited before listening')));
  });
  const ticksPerSecond = 100; // USER_HZ on Linux
  return {
    // Apache Kafka answers acks=-1 once replicated, without an fsync per write (its default flush policy); compare with --fsync never.
    name: `Apache Kafka ${started.version} (no fsync per write, its default)`,
    address: started.listening,
    // utime + stime of the JVM: fields 14 and 15 of /proc/<pid>/stat (counted after the parenthesised name).
    cpuMs: async () => {
      const fields = fs.readFileSync(`/proc/${started.pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { target: { type: 'string', default: 'both' }, fsync: { type: 'string', default: 'always' }, messages: { type: 'string', default: '100000' } },
  });
  const targets = values.target === 'both' ? ['apache', 'embedded'] : [values.target];
  if (!targets.every((t) => t === 'apache' || t === 'embedded')) throw new Error('--target embedded|apache|both');
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? '?'}, load avg ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (shared with other jobs)`);
  const results: { name: string; figures: Figures }[] = [];
  for (const target of targets) {
    const broker = target === 'apache' ? await startApache() : await startEmbedded(values.fsync);
    console.log(`\n--- ${broker.name} on ${broker.address}`);
    try {
      results.push({ name: broker.name, figures: await bench(broker, Number(values.messages)) });
    } finally {
      await broker.stop();
    }
  }
  if (results.length === 2) {
    const [apache, embedded] = results;
    const row = (label: string, a: number, e: number, unit: string, digits = 0) =>
      console.log(`${label.padEnd(28)}${`${a.toFixed(digits)} ${unit}`.padStart(16)}${`${e.toFixed(digits)} ${unit}`.padStart(16)}${`${(e / a).toFixed(2)}×`.padStart(14)}`);
    console.log(`\n${''.padEnd(28)}${'Apache Kafka'.padStart(16)}${'embedded'.padStart(16)}${'emb ÷ Apache'.padStart(14)}`);
    row('produce (msg/s)', apache.figures.produce, embedded.figures.produce, '');
    row('consume (msg/s)', apache.figures.consume, embedded.figures.consume, '');
    row('wake-up p50 (ms)', apache.figures.wakeP50, embedded.figures.wakeP50, 'ms', 1);
    row('wake-up p90 (ms)', apache.figures.wakeP90, embedded.figures.wakeP90, 'ms', 1);
    row('idle CPU, 10 consumers (%)', apache.figures.idleCpu, embedded.figures.idleCpu, '%', 2);
  }
}

async function bench(broker: BrokerUnderBench, total: number): Promise<Figures> {
  const kafka = new Kafka({ clientId: 'bench', brokers: [broker.address], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'bench', numPartitions: 4 }, { topic: 'latency' }, { topic: 'idle' }] });
  // --- produce
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.alloc(1024, 'x');
  const batches = total / 100;
  const cpu0 = await broker.cpuMs();
  const client0 = process.cpuUsage();
  let t = process.hrtime.bigint();
  let next = 0;
  const inFlight = Number(process.env.BENCH_IN_FLIGHT ?? 4);
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < batches) {
        const b = next++;
        await producer.send({ topic: 'bench', acks: -1, messages: Array.from({ length: 100 }, (_, i) => ({ key: String(b * 100 + i), value })) });
      }
    }),
  );
  let secs = Number(process.hrtime.bigint() - t) / 1e9;
  const produced = total / secs;
  const cpu1 = await broker.cpuMs();
  const client1 = process.cpuUsage(client0);
  // The kafkajs client's CPU is printed too: when it is near 100 %, the client, not the broker, sets the pace.
  console.log(`produce: ${total} × 1 KiB, acks=-1, ${inFlight} batches of 100 in flight: ${(total / secs).toFixed(0)} msg/s (${((total * 1024) / secs / 2 ** 20).toFixed(1)} MiB/s), broker CPU ${(((cpu1 - cpu0) / 1000 / secs) * 100).toFixed(0)} %, kafkajs client CPU ${(((client1.user + client1.system) / 1e6 / secs) * 100).toFixed(0)} %`);

  // --- consume
  const consumer = kafka.consumer({ groupId: 'bench-consumer', maxBytes: 10 * 2 ** 20 });
  await consumer.connect();
  await consumer.subscribe({ topic: 'bench', fromBeginning: true });
  let seen = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  t = process.hrtime.bigint();
  await consumer.run({
    eachBatch: async ({ batch }) => {
      seen += batch.messages.length;
      if (seen >= total) done();
    },
  });
  await finished;
  secs = Number(process.hrtime.bigint() - t) / 1e9;
  const consumed = seen / secs;
  console.log(`consume: ${seen} messages (group join included): ${consumed.toFixed(0)} msg/s`);
  await consumer.disconnect();

  // --- wake-up latency
  const lat = kafka.consumer({ groupId: 'bench-latency', maxWaitTimeInMs: 5000 });
  await lat.connect();
  await lat.subscribe({ topic: 'latency' });
  let resolveSeen: (() => void) | null = null;
  await lat.run({ eachMessage: async () => resolveSeen?.() });
  await sleep(1500);
  const samples: number[] = [];
  for (let i = 0; i < 30; i++) {
    const seenIt = new Promise<void>((r) => (resolveSeen = r));
    const start = process.hrtime.bigint();
    await producer.send({ topic: 'latency', acks: 1, messages: [{ value: 'ping' }] });
    await seenIt;
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    await sleep(50);
  }
  samples.sort((a, b) => a - b);
  console.log(`fetch wake-up latency (produce → eachMessage, consumer long-polling with maxWait 5 s): p50 ${samples[15].toFixed(1)} ms, p90 ${samples[27].toFixed(1)} ms, max ${samples[29].toFixed(1)} ms`);
  await lat.disconnect();
  await producer.disconnect();

  // --- idle CPU with 10 consumers (kafkajs defaults: maxWait 5 s, heartbeat 3 s)
  const idle = await Promise.all(
    Array.from({ length: 10 }, async (_, i) => {
      const c = kafka.consumer({ groupId: `idle-${i}` });
      await c.connect();
      await c.subscribe({ topic: 'idle' });
      await c.run({ eachMessage: async () => undefined });
      return c;
    }),
  );
  await sleep(3000);
  const windowMs = 20_000;
  const before = await broker.cpuMs();
  await sleep(windowMs);
  const cpuMs = (await broker.cpuMs()) - before;
  console.log(`idle: 10 consumers for ${windowMs / 1000} s: broker CPU ${cpuMs.toFixed(0)} ms = ${((cpuMs / windowMs) * 100).toFixed(2)} % of one core`);
  await Promise.all(idle.map((c) => c.disconnect()));
  await admin.disconnect();
  return { produce: produced, consume: consumed, wakeP50: samples[15], wakeP90: samples[27], idleCpu: (cpuMs / windowMs) * 100 };
}

if (process.argv.includes('--broker-child')) {
  runBrokerChild().catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
