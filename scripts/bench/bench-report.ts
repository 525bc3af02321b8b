export interface ThroughputFigure {
  id: string;
  label: string;
  events: number;
  deliveries: number;
  delivered: number;
  seconds: number;
  deliveriesPerSecond: number;
  percentOfCeiling: number;
  /** CPU the app used meanwhile, in cores. */
  appCores: number;
  /** The app's CPU time per delivery: what the pipeline costs, less sensitive to the machine's load than deliveries/s. */
  cpuMsPerDelivery: number;
  /** Delivery-log row writes per delivery (an intent written apart from its outcome is one more); null where the counter is not served. */
  logRowsPerDelivery: number | null;
  /** Of those, `sending` intents written apart from their outcome. */
  intentRowsPerDelivery: number | null;
}

export interface LatencyFigure {
  offeredDeliveriesPerSecond: number;
  seconds: number;
  deliveries: number;
  delivered: number;
  p50: number;
  p95: number;
  p99: number;
  /** Deliveries offered but not yet arrived, sampled every second of the load. */
  backlogPerSecond: number[];
  backlogFlat: boolean;
  /** From the end of the load to the last arrival. */
  drainSeconds: number;
}

/** Memory at scale: many webhooks, each with a few deliveries, sent as one burst. */
export interface MemoryFigure {
  webhooks: number;
  workspaces: number;
  events: number;
  deliveries: number;
  delivered: number;
  seconds: number;
  deliveriesPerSecond: number;
  /** CPU time the app spent per delivery during the burst: what a memory lever costs, less sensitive to the machine's load than deliveries/s. */
  cpuMsPerDelivery: number;
  /** Resident set of the app once every delivery arrived and the log was written. */
  rssAfterMb: number;
  /** Peak resident set of the app over the whole bench, this case included. */
  peakRssMb: number;
  /** Resident set after the idle CPU case's length more without traffic: whether memory returns after the burst. */
  rssSettledMb: number;
}

export interface BenchReport {
  date: string;
  machine: string;
  command: string;
  setup: string;
  /** Null with `--only memory`, like the figures of the cases it skips (empty lists, null idle CPU). */
  ceiling: { requestsPerSecond: number; connections: number; inFlight: number } | null;
  throughput: ThroughputFigure[];
  latency: LatencyFigure[];
  idleCpuPercent: number | null;
  peakRssMb: number;
  /** Null with `--only throughput`. */
  memory: MemoryFigure | null;
  duplicates: number;
}

const n = (value: number, digits = 0): string => value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export function formatReport(report: BenchReport): string {
  const lines = [
    '',
    `Harmony Webhooks bench — ${report.date}`,
    `machine  ${report.machine}`,
    `setup    ${report.setup}`,
    `command  ${report.command}`,
    '',
    ...(report.ceiling ? cases(report, report.ceiling) : ['(--only memory: no ceiling, cases or idle CPU)', '']),
    `peak RSS of the app   ${n(report.peakRssMb)} MB (before the memory case)`,
    '',
    ...(report.memory ? memoryLines(report.memory) : ['(--only throughput: no memory case)']),
    `duplicate deliveries  ${n(report.duplicates)}`,
    '',
  ];
  return lines.join('\n');
}

function memoryLines(memory: MemoryFigure): string[] {
  return [
    `memory: ${n(memory.webhooks)} webhooks over ${n(memory.workspaces)} workspaces, ${n(memory.events)} events (one webhook each) in one burst`,
    `  ${n(memory.deliveriesPerSecond)} deliveries/s, ${n(memory.delivered)}/${n(memory.deliveries)} delivered in ${n(memory.seconds, 1)} s, ${n(memory.cpuMsPerDelivery, 2)} ms of app CPU each`,
    `  RSS after ${n(memory.rssAfterMb)} MB, peak ${n(memory.peakRssMb)} MB, ${n(memory.rssSettledMb)} MB once idle a while`,
  ];
}

function cases(report: BenchReport, ceiling: NonNullable<BenchReport['ceiling']>): string[] {
  return [
    `ceiling: raw undici → receiver, ${ceiling.connections} connections, ${ceiling.inFlight} in flight   ${n(ceiling.requestsPerSecond)} req/s`,
    '',
    'end to end (burst of events, first send → last arrival)      deliveries/s   % of ceiling   app CPU (cores)   ms CPU each   log rows each   delivered',
    ...report.throughput.map(
      (t) =>
        `(${t.id}) ${t.label.padEnd(55)} ${n(t.deliveriesPerSecond).padStart(12)}   ${`${n(t.percentOfCeiling, 1)} %`.padStart(12)}   ${n(t.appCores, 2).padStart(15)}   ${n(t.cpuMsPerDelivery, 3).padStart(11)}   ${(t.logRowsPerDelivery === null ? '?' : n(t.logRowsPerDelivery, 2)).padStart(13)}   ${n(t.delivered)}/${n(t.deliveries)}`,
    ),
    '',
    'event → delivered at a fixed offered load (10 webhooks)       p50 ms    p95 ms    p99 ms   backlog   delivered',
    ...report.latency.map(
      (l) =>
        `${`${n(l.offeredDeliveriesPerSecond)} deliveries/s for ${l.seconds} s`.padEnd(60)} ${n(l.p50).padStart(7)}   ${n(l.p95).padStart(7)}   ${n(l.p99).padStart(7)}   ${(l.backlogFlat ? 'flat' : 'growing').padStart(7)}   ${n(l.delivered)}/${n(l.deliveries)}`,
    ),
    '',
    `idle CPU of the app   ${n(report.idleCpuPercent ?? Number.NaN, 1)} % of a core`,
  ];
}
