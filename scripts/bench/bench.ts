/**
 * `npm run bench [-- --quick] [--db postgres] [--services] [--kafka host:port] [--json] [--cpu-prof dir] [--heap-snapshot dir] [--only memory|throughput]`
 *
 * The whole pipeline against raw HTTP on this machine, in one run: the app
 * (all-in-one, or the five services as processes) and a receiver in its own
 * process on loopback; events produced to the upstream topics as Harmony does.
 * Prints the ceiling (raw undici → receiver), end-to-end deliveries/s per case
 * as % of that ceiling, event → delivered latency at fixed offered loads, idle
 * CPU and peak RSS, and last the resident memory after 100,000 events to
 * 10,000 webhooks. Compare ratios within one run: the machine may be busy.
 * `--only memory` runs the memory case alone (no ceiling, cases or idle CPU):
 * about two minutes instead of five and a half, to iterate on memory;
 * `--only throughput` the ceiling and the three bursts alone, to iterate on speed.
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { startApp, type App } from './bench-app';
import { startCeiling, startReceiver, type Receiver } from './bench-receiver';
import { createBenchWebhooks, createBenchWorkspaces, createMemoryWebhooks, type Workspace } from './bench-tenants';
import { Producer } from './bench-producer';
import { formatReport, type BenchReport, type LatencyFigure, type MemoryFigure, type ThroughputFigure } from './bench-report';

/** The product's defaults the ceiling must match (WebhookSender's connections per origin, DELIVERY_CONCURRENCY). */
const SENDER_CONNECTIONS = 16;
const DELIVERY_CONCURRENCY = 64;

export interface BenchOptions {
  quick: boolean;
  db: 'pglite' | 'postgres';
  services: boolean;
  kafka: string | null;
  json: boolean;
  /** Writes a V8 CPU profile of every app process here (node --cpu-prof) when it stops. */
  cpuProf: string | null;
  /** Writes a V8 heap snapshot of every app process here after the memory case (summarise: scripts/bench/heap-summary.js). */
  heapSnapshot: string | null;
  /** Only the memory case, only the ceiling and the three bursts ('throughput'), or every case. */
  only: (typeof ONLY)[number] | null;
}

const ONLY = ['memory', 'throughput'] as const;

/** The memory case's workspaces hold one webhook per catalog type (38): 264 of them make 10,032 webhooks. */
const FULL = { cWorkspaces: 100, ceilingSeconds: 10, a: 3_000, b: 1_000, c: 5_000, latencySeconds: 20, idleSeconds: 30, drainSeconds: 180, memoryWorkspaces: 264, memoryEvents: 100_000 };
const QUICK = { cWorkspaces: 10, ceilingSeconds: 2, a: 200, b: 40, c: 200, latencySeconds: 3, idleSeconds: 3, drainSeconds: 60, memoryWorkspaces: 3, memoryEvents: 1_000 };

const now = (): number => performance.timeOrigin + performance.now();
/**
 * Rows the delivery log wrote between two readings of the app's counter: an intent and its
 * outcome in one write batch are one row; an intent written before its outcome is two writes.
 */
function rowsWritten(before: Record<string, number> | null, after: Record<string, number> | null): { total: number; sending: number } | null {
  if (!before || !after) return null;
  const delta = (outcome: string): number => (after[outcome] ?? 0) - (before[outcome] ?? 0);
  return { total: Object.keys(after).reduce((sum, outcome) => sum + delta(outcome), 0), sending: delta('sending') };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export function parseBenchArgs(argv: string[]): BenchOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: 'boolean', default: false },
      db: { type: 'string', default: 'pglite' },
      services: { type: 'boolean', default: false },
      kafka: { type: 'string' },
      json: { type: 'boolean', default: false },
      'cpu-prof': { type: 'string' },
      'heap-snapshot': { type: 'string' },
      only: { type: 'string' },
    },
  });
  const only = ONLY.find((name) => name === values.only) ?? null;
  if (values.only !== undefined && only === null) throw new Error('--only takes memory (the memory case alone) or throughput (the ceiling and the three bursts)');
  if (values.db !== 'pglite' && values.db !== 'postgres') throw new Error('--db must be pglite or postgres');
  if (values.db === 'postgres' && !process.env['DATABASE_URL']) throw new Error('--db postgres needs DATABASE_URL (a server where the bench may create and drop a database)');
  return { quick: values.quick, db: values.db, services: values.services, kafka: values.kafka ?? null, json: values.json, cpuProf: values['cpu-prof'] ?? null, heapSnapshot: values['heap-snapshot'] ?? null, only };
}

async function main(): Promise<void> {
  const options = parseBenchArgs(process.argv.slice(2));
  const size = options.quick ? QUICK : FULL;
  const log = (line: string): void => {
    if (!options.json) process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  };
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async (): Promise<void> => {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => log(`cleanup: ${String(error)}`));
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanup().then(() => process.exit(130)));
  try {
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    log(`receiver on ${receiver.origin}`);

    const all = options.only === null;
    const bursts = options.only !== 'memory';
    const memoryCaseRuns = options.only !== 'throughput';
    let ceiling = Number.NaN;
    if (bursts) {
      log(`ceiling: raw undici, ${SENDER_CONNECTIONS} connections, ${DELIVERY_CONCURRENCY} in flight, ${size.ceilingSeconds} s`);
      ceiling = await startCeiling(receiver.origin, SENDER_CONNECTIONS, DELIVERY_CONCURRENCY, size.ceilingSeconds);
      log(`ceiling ${ceiling.toFixed(0)} req/s`);
    }

    let workspaces: Workspace[] = [];
    const app = await startApp(options, log, async (database) => {
      workspaces = await createBenchWorkspaces(database, (bursts ? size.cWorkspaces + 1 : 0) + (memoryCaseRuns ? size.memoryWorkspaces : 0));
    });
    const memoryWorkspaces = workspaces.splice(bursts ? size.cWorkspaces + 1 : 0);
    cleanups.push(() => app.stop());
    const producer = await Producer.connect(app.brokers);
    cleanups.push(() => producer.disconnect());
    const run = new Run(receiver, producer, app, log);

    const throughput: ThroughputFigure[] = [];
    const latency: LatencyFigure[] = [];
    let idleCpu: number | null = null;
    let firstMemoryIndex = 0;
    if (bursts) {
      const tenants = await createBenchWebhooks(app.url, receiver.origin, workspaces, log);
      for (const bench of [tenants.a, tenants.b, tenants.c]) await run.warmUp(bench);
      await waitQuiet(producer, log);
      if (all) {
        log(`idle CPU over ${size.idleSeconds} s`);
        idleCpu = await app.cpuPercent(size.idleSeconds * 1_000);
      }

      throughput.push(await run.burst('a', '1 webhook, rate limit 1,000/s', tenants.a, size.a, ceiling, size.drainSeconds));
      throughput.push(await run.burst('b', '10 webhooks, one event type', tenants.b, size.b, ceiling, size.drainSeconds));
      const cLabel = `${(tenants.c.webhooks.length).toLocaleString('en-US')} webhooks, ${size.cWorkspaces} workspaces, mixed types`;
      throughput.push(await run.burst('c', cLabel, tenants.c, size.c, ceiling, size.drainSeconds));

      if (all) for (const rate of [100, 1_000]) latency.push(await run.steady(tenants.b, rate, size.latencySeconds, size.drainSeconds));
      firstMemoryIndex = 1 + Math.max(...tenants.c.webhooks);
    }

    const peakRssMb = await app.peakRssMb();
    const memory = memoryCaseRuns ? await memoryCase(run, app, producer, receiver, memoryWorkspaces, firstMemoryIndex, size, ceiling, log) : null;

    const report: BenchReport = {
      date: new Date().toISOString(),
      machine: app.machine,
      command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
      setup: app.describe,
      ceiling: bursts ? { requestsPerSecond: ceiling, connections: SENDER_CONNECTIONS, inFlight: DELIVERY_CONCURRENCY } : null,
      throughput,
      latency,
      idleCpuPercent: idleCpu,
      peakRssMb,
      memory,
      duplicates: receiver.duplicates,
    };
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  } finally {
    await cleanup();
  }
}

/** Last of a run: 10,000 more webhooks would change what the other cases measure. */
async function memoryCase(
  run: Run,
  app: App,
  producer: Producer,
  receiver: Receiver,
  memoryWorkspaces: Workspace[],
  firstMemoryIndex: number,
  size: typeof FULL,
  ceiling: number,
  log: (line: string) => void,
): Promise<MemoryFigure> {
  const memoryTarget = await createMemoryWebhooks(app.url, receiver.origin, memoryWorkspaces, firstMemoryIndex, log);
  await waitQuiet(producer, log);
  const memoryRun = await run.burst('memory', `${memoryTarget.webhooks.length} webhooks`, memoryTarget, size.memoryEvents, ceiling, size.drainSeconds * 4);
  await waitQuiet(producer, log);
  const memory: MemoryFigure = {
    webhooks: memoryTarget.webhooks.length,
    workspaces: memoryWorkspaces.length,
    events: memoryRun.events,
    deliveries: memoryRun.deliveries,
    delivered: memoryRun.delivered,
    seconds: memoryRun.seconds,
    deliveriesPerSecond: memoryRun.deliveriesPerSecond,
    cpuMsPerDelivery: memoryRun.cpuMsPerDelivery,
    rssAfterMb: await app.rssMb(),
    peakRssMb: await app.peakRssMb(),
    rssSettledMb: Number.NaN,
  };
  log(`memory: RSS after ${memory.rssAfterMb.toFixed(0)} MB, peak ${memory.peakRssMb.toFixed(0)} MB; idle ${size.idleSeconds} s more`);
  await sleep(size.idleSeconds * 1_000);
  memory.rssSettledMb = await app.rssMb();
  log(`memory: RSS ${memory.rssSettledMb.toFixed(0)} MB after ${size.idleSeconds} s idle`);
  await app.heapSnapshot();
  return memory;
}

/** Until every consumer group of the app has committed everything (the delivery log written), then 2 s more. */
async function waitQuiet(producer: Producer, log: (line: string) => void): Promise<void> {
  const deadline = Date.now() + 120_000;
  let lag = await producer.consumerLag();
  while (lag > 0 && Date.now() < deadline) {
    await sleep(500);
    lag = await producer.consumerLag();
  }
  if (lag > 0) log(`the app still had ${lag} messages to consume after 120 s`);
  await sleep(2_000);
}

/** One bench's worth of webhooks: who publishes what, and which receiver paths each event must reach. */
export interface BenchTarget {
  /** Events to publish, round robin: workspace, type, and the receiver paths (webhook indexes) it matches. */
  shapes: { workspaceId: string; type: string; webhooks: number[] }[];
  /** Every webhook index of this bench. */
  webhooks: number[];
}

class Run {
  constructor(
    private readonly receiver: Receiver,
    private readonly producer: Producer,
    private readonly app: App,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Publishes one event per shape until every webhook of the bench has had a
   * delivery: the pipeline has all its webhooks, connections are open and the
   * code is warm before anything is timed.
   */
  async warmUp(target: BenchTarget): Promise<void> {
    const deadline = Date.now() + 120_000;
    const missing = new Set(target.webhooks);
    while (missing.size > 0) {
      if (Date.now() > deadline) throw new Error(`warm-up: ${missing.size} webhooks never received an event within 120 s`);
      const shapes = target.shapes.filter((shape) => shape.webhooks.some((index) => missing.has(index)));
      const expected = await this.publish(shapes);
      await this.receiver.waitFor(expected, 5_000);
      for (const index of target.webhooks) if (this.receiver.seenWebhook(index)) missing.delete(index);
    }
    this.log(`warm: ${target.webhooks.length} webhooks answer`);
  }

  /** A burst of `events` published as fast as the producer goes; deliveries/s from the first send to the last arrival. */
  async burst(id: string, label: string, target: BenchTarget, events: number, ceiling: number, drainSeconds: number): Promise<ThroughputFigure> {
    this.log(`(${id}) ${label}: ${events} events`);
    const cpuBefore = await this.app.cpuTicks();
    const rowsBefore = await this.app.logRows();
    const started = now();
    const shapes = Array.from({ length: events }, (_, i) => target.shapes[i % target.shapes.length]!);
    const expected: Map<string, number[]> = new Map();
    for (let i = 0; i < shapes.length; i += 500) {
      for (const [eventId, webhooks] of await this.publish(shapes.slice(i, i + 500))) expected.set(eventId, webhooks);
    }
    const deliveries = [...expected.values()].reduce((sum, list) => sum + list.length, 0);
    const arrived = await this.receiver.waitFor(expected, drainSeconds * 1_000);
    const last = Math.max(...arrived.map((arrival) => arrival.at));
    const seconds = (last - started) / 1_000;
    const cpuSeconds = ((await this.app.cpuTicks()) - cpuBefore) / 100;
    const perSecond = arrived.length / seconds;
    const rows = rowsWritten(rowsBefore, await this.logCaughtUp(rowsBefore, arrived.length));
    const figure: ThroughputFigure = {
      id,
      label,
      events,
      deliveries,
      delivered: arrived.length,
      seconds,
      deliveriesPerSecond: perSecond,
      percentOfCeiling: (perSecond / ceiling) * 100,
      appCores: cpuSeconds / seconds,
      cpuMsPerDelivery: (cpuSeconds * 1_000) / arrived.length,
      logRowsPerDelivery: rows && rows.total / arrived.length,
      intentRowsPerDelivery: rows && rows.sending / arrived.length,
    };
    this.log(`(${id}) ${perSecond.toFixed(0)} deliveries/s = ${figure.percentOfCeiling.toFixed(1)} % of the ceiling, ${figure.cpuMsPerDelivery.toFixed(3)} ms of app CPU each, ${figure.logRowsPerDelivery?.toFixed(2) ?? '?'} log row writes each`);
    return figure;
  }

  /** The log's rows once it holds an outcome for every delivery (it is written after the request), or after 30 s. */
  private async logCaughtUp(before: Record<string, number> | null, delivered: number): Promise<Record<string, number> | null> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const rows = await this.app.logRows();
      if (!before || !rows || (rows['success'] ?? 0) - (before['success'] ?? 0) >= delivered) return rows;
      if (Date.now() > deadline) {
        this.log(`the delivery log still lacks outcomes for some of ${delivered} deliveries after 30 s: its row figures undercount`);
        return rows;
      }
      await sleep(100);
    }
  }

  /**
   * A fixed offered load of `deliveriesPerSecond` (events every 10 ms) for
   * `seconds`; latency = producer send → receiver arrival. The backlog
   * (deliveries offered but not yet arrived) is sampled every second.
   */
  async steady(target: BenchTarget, deliveriesPerSecond: number, seconds: number, drainSeconds: number): Promise<LatencyFigure> {
    const perEvent = target.shapes[0]!.webhooks.length;
    const eventsPerSecond = deliveriesPerSecond / perEvent;
    this.log(`latency at ${deliveriesPerSecond} deliveries/s (${eventsPerSecond} events/s × ${perEvent} webhooks) for ${seconds} s`);
    const expected: Map<string, number[]> = new Map();
    const backlog: number[] = [];
    const started = now();
    let published = 0;
    let offered = 0;
    let nextSample = started + 1_000;
    let shape = 0;
    while (now() < started + seconds * 1_000) {
      const due = Math.floor(((now() - started) / 1_000) * eventsPerSecond) + 1;
      const batch = [];
      for (; published < due; published++) batch.push(target.shapes[shape++ % target.shapes.length]!);
      if (batch.length > 0) {
        for (const [eventId, webhooks] of await this.publish(batch)) {
          expected.set(eventId, webhooks);
          offered += webhooks.length;
        }
      }
      if (now() >= nextSample) {
        backlog.push(offered - this.receiver.countArrived(expected));
        nextSample += 1_000;
      }
      await sleep(10);
    }
    const loadEnded = now();
    const arrived = await this.receiver.waitFor(expected, drainSeconds * 1_000);
    const latencies = arrived.map((arrival) => arrival.latency).sort((a, b) => a - b);
    const pct = (p: number): number => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN;
    const finalBacklog = backlog.at(-1) ?? 0;
    const figure: LatencyFigure = {
      offeredDeliveriesPerSecond: deliveriesPerSecond,
      seconds,
      deliveries: offered,
      delivered: arrived.length,
      p50: pct(0.5),
      p95: pct(0.95),
      p99: pct(0.99),
      backlogPerSecond: backlog,
      // Flat: at the end of the load, less than half a second of offered work was outstanding.
      backlogFlat: finalBacklog <= deliveriesPerSecond / 2,
      drainSeconds: (Math.max(loadEnded, ...arrived.map((arrival) => arrival.at)) - loadEnded) / 1_000,
    };
    this.log(`p50 ${figure.p50.toFixed(0)} ms, p99 ${figure.p99.toFixed(0)} ms, backlog ${figure.backlogFlat ? 'flat' : 'growing'} (${backlog.join(' ')})`);
    return figure;
  }

  /** Publishes one event per shape; returns each event id with the webhook indexes it must reach. */
  private async publish(shapes: BenchTarget['shapes']): Promise<Map<string, number[]>> {
    const sent = await this.producer.send(shapes.map((shape) => ({ workspaceId: shape.workspaceId, type: shape.type })));
    const expected = new Map<string, number[]>();
    sent.forEach((event, i) => {
      expected.set(event.id, shapes[i]!.webhooks);
      this.receiver.expect(event.id, event.sentAt);
    });
    return expected;
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
