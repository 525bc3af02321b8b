/**
 * `node scripts/run-ts.js scripts/bench/idle-probe.ts [seconds=30] [cpu-prof dir]`
 *
 * Why an idle all-in-one uses CPU: starts the embedded broker in this process and
 * the all-in-one app against it (a fresh data folder, PGlite), lets it settle,
 * then reports the app's CPU over `seconds` and the Kafka requests it sent in
 * that time, by API (the broker's own counters).
 */
import * as path from 'node:path';
import { SILENT_LOGGER, startBroker } from '@harmony/kafka-embedded';
import { tempDir } from '@harmony/testing';
import { startAllInOne } from '../start';
import { procTicks as ticks } from './bench-app';

const seconds = Number(process.argv[2] ?? 30);
const cpuProf = process.argv[3];
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const dir = tempDir('harmony-idle-');
  const broker = await startBroker({ host: '127.0.0.1', port: 0, dataDir: path.join(dir.path, 'kafka'), fsync: 'never', defaults: { numPartitions: 3 }, logger: SILENT_LOGGER });
  const app = await startAllInOne({
    // KAFKA_* settings of this shell (heartbeat, session) go to the app: compare them.
    env: { ...kafkaSettings(), PATH: process.env['PATH'], HOME: process.env['HOME'], DATA_DIR: dir.path, PORT: '0', KAFKA_BROKERS: broker.address, LOG_LEVEL: 'info' },
    onLine: () => undefined,
    nodeArgs: cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProf)}`] : [],
  });
  try {
    await sleep(20_000);
    const before = { cpu: ticks(app.child.pid!), requests: broker.stats().requestsByApi };
    await sleep(seconds * 1_000);
    const after = { cpu: ticks(app.child.pid!), requests: broker.stats().requestsByApi };
    process.stdout.write(`idle CPU ${(after.cpu - before.cpu) / seconds}% of a core over ${seconds} s\nKafka requests per second:\n`);
    for (const [api, n] of Object.entries(after.requests)) {
      const rate = (n - (before.requests[api] ?? 0)) / seconds;
      if (rate > 0) process.stdout.write(`  ${api.padEnd(16)} ${rate.toFixed(2)}\n`);
    }
    // Where the resident memory is: V8's heaps, memory outside them (buffers, WASM), the rest.
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const mb = (name: string): string => {
      const line = metrics.split('\n').find((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `));
      return line ? `${(Number(line.split(' ').at(-1)) / 2 ** 20).toFixed(0)} MB` : '?';
    };
    process.stdout.write(`memory: RSS ${mb('process_resident_memory_bytes')}, V8 heap used ${mb('nodejs_heap_size_used_bytes')} of ${mb('nodejs_heap_size_total_bytes')}, external ${mb('nodejs_external_memory_bytes')}\n`);
  } finally {
    app.child.kill('SIGTERM');
    await new Promise((resolve) => app.child.once('exit', resolve));
    await broker.close();
    dir.remove();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

function kafkaSettings(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => name.startsWith('KAFKA_')));
}
