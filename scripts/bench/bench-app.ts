import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase, LOOPBACK_RECEIVERS_ENV, spawnUntilListening, tempDir, type SpawnedService } from '@harmony/testing';
import { ensureAppBuilt } from '../build';
import { APP_ENV, APP_NODE_ARGS, startAllInOne } from '../start';
import type { BenchOptions } from './bench';

const ROOT = path.resolve(__dirname, '../..');
const SERVICES = ['subscription-service', 'event-ingest', 'fan-out', 'delivery-worker', 'retry-scheduler'];

export interface Database {
  url: string | null;
  pgliteDir: string;
}

export interface App {
  /** subscription-service's URL (the REST API). */
  url: string;
  brokers: string[];
  machine: string;
  describe: string;
  /** utime + stime of every app process (and the broker process with --services), in clock ticks (1/100 s). */
  cpuTicks(): Promise<number>;
  /** CPU of the app over `ms`, in % of one core. */
  cpuPercent(ms: number): Promise<number>;
  /** subscription-service's delivery-log rows written so far, by outcome (its metrics); null when it serves none. */
  logRows(): Promise<Record<string, number> | null>;
  /** Peak resident set (VmHWM) summed over the app's processes. */
  peakRssMb(): Promise<number>;
  /** Resident set now (VmRSS) summed over the app's processes. */
  rssMb(): Promise<number>;
  /** With --heap-snapshot: each app process writes a V8 heap snapshot there; resolves once they are written. */
  heapSnapshot(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the system under test: a fresh data folder (PGlite and the embedded
 * broker's log) or a fresh database on DATABASE_URL's server; `prepare` runs
 * against that database before any service opens it (PGlite is one process's).
 */
export async function startApp(options: BenchOptions, log: (line: string) => void, prepare: (database: Database) => Promise<void>): Promise<App> {
  const dataDir = tempDir('harmony-bench-');
  const database = options.db === 'postgres' ? await createTestDatabase(process.env['DATABASE_URL']) : null;
  const db: Database = { url: database?.url ?? null, pgliteDir: path.join(dataDir.path, 'pglite') };
  const stops: (() => Promise<unknown>)[] = [() => Promise.resolve(dataDir.remove())];
  if (database) stops.push(() => database.drop());
  const stop = async (): Promise<void> => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    await prepare(db);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: process.env['HOME'],
      DATA_DIR: dataDir.path,
      PORT: '0',
      KAFKA_EMBEDDED_PORT: '0',
      LOG_LEVEL: 'info',
      SUBSCRIPTIONS_BOOTSTRAP: 'false',
      // The bench receiver is on loopback.
      ...LOOPBACK_RECEIVERS_ENV,
      ...(db.url ? { DATABASE_URL: db.url } : {}),
      ...(options.kafka ? { KAFKA_BROKERS: options.kafka } : {}),
    };
    // node refuses --cpu-prof in NODE_OPTIONS: it goes on each app process's command line.
    if (options.heapSnapshot) mkdirSync(options.heapSnapshot, { recursive: true });
    const nodeArgs = [
      ...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(options.cpuProf)}`] : []),
      // Written on SIGUSR2 (heapSnapshot()), into the same folder as the CPU profiles would be.
      ...(options.heapSnapshot ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${path.resolve(options.heapSnapshot)}`] : []),
    ];
    const pids: number[] = [];
    let url: string;
    let brokers: string[];
    if (!options.services) {
      log('starting the all-in-one app');
      const running = await startAllInOne({ env, nodeArgs, onLine: errorLine });
      stops.push(() => stopChild(running.child));
      pids.push(running.child.pid!);
      url = running.url;
      brokers = running.brokers ?? options.kafka!.split(',');
    } else {
      if (options.kafka) brokers = options.kafka.split(',');
      else {
        const broker = await startBrokerProcess(path.join(dataDir.path, 'kafka'));
        stops.push(() => stopChild(broker.child));
        pids.push(broker.child.pid!);
        brokers = [broker.address];
      }
      const running: SpawnedService[] = [];
      for (const service of SERVICES) {
        log(`starting ${service}`);
        // Built and with the node flags and environment the all-in-one has (startAllInOne): no TypeScript compiler in memory.
        const spawned = await spawnUntilListening(service, [...nodeArgs, ...APP_NODE_ARGS, ensureAppBuilt(service, { log })], {
          cwd: ROOT,
          env: { ...APP_ENV, ...env, KAFKA_BROKERS: brokers.join(',') },
          timeoutMs: 120_000,
        });
        spawned.process.stdout?.on('data', (chunk: Buffer) => chunk.toString().split('\n').forEach(errorLine));
        stops.push(() => spawned.stop());
        pids.push(spawned.process.pid!);
        running.push(spawned);
      }
      url = running[0]!.url;
    }
    const cpuTicks = async (): Promise<number> => pids.reduce((sum, pid) => sum + procTicks(pid), 0);
    const cpu = os.cpus();
    return {
      url,
      brokers,
      machine: `${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}, node ${process.version}`,
      describe: `${options.services ? 'five services as processes' : 'all-in-one'}, ${db.url ? 'PostgreSQL' : 'PGlite'}, ${options.kafka ? `Kafka at ${options.kafka}` : options.services ? 'embedded broker as a process' : 'embedded broker in the app'}`,
      cpuTicks,
      async cpuPercent(ms) {
        const before = await cpuTicks();
        await new Promise((resolve) => setTimeout(resolve, ms));
        return ((await cpuTicks()) - before) / (ms / 1_000);
      },
      async logRows() {
        const text = await (await fetch(`${url}/metrics`)).text();
        const rows: Record<string, number> = {};
        for (const match of text.matchAll(/^subscription_delivery_log_rows_total\{[^}]*outcome="(\w+)"[^}]*\} (\d+)$/gm)) rows[match[1]!] = Number(match[2]);
        return text.includes('subscription_delivery_log_rows_total') ? rows : null;
      },
      async peakRssMb() {
        return pids.reduce((sum, pid) => sum + procStatusKb(pid, 'VmHWM'), 0) / 1024;
      },
      async heapSnapshot() {
        if (!options.heapSnapshot) return;
        const dir = path.resolve(options.heapSnapshot);
        const sizes = (): number[] => readdirSync(dir).filter((name) => name.endsWith('.heapsnapshot')).map((name) => statSync(path.join(dir, name)).size);
        const expected = sizes().length + pids.length;
        for (const pid of pids) process.kill(pid, 'SIGUSR2');
        // V8 writes the file under its final name while it works: done when no file is empty and no size changed for 5 s.
        const deadline = Date.now() + 300_000;
        let last = '';
        while (Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 5_000));
          const now = sizes();
          if (now.length >= expected && !now.includes(0) && now.join(',') === last) return;
          last = now.join(',');
        }
        log('heap snapshot: not all written after 300 s');
      },
      async rssMb() {
        return pids.reduce((sum, pid) => sum + procStatusKb(pid, 'VmRSS'), 0) / 1024;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The app's own errors still show, on stderr even with --json (where progress
 * goes nowhere): a bench run that fails quietly measures nothing.
 */
function errorLine(line: string): void {
  if (!line.startsWith('{')) return;
  try {
    const entry = JSON.parse(line) as { level?: number; msg?: string };
    if ((entry.level ?? 0) >= 50) process.stderr.write(`${new Date().toISOString().slice(11, 19)} app: ${line.slice(0, 400)}\n`);
  } catch {
    // a partial line
  }
}

/** utime + stime of a process, in clock ticks (1/100 s); 0 once it is gone. */
export function procTicks(pid: number): number {
  try {
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

function procStatusKb(pid: number, field: string): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function stopChild(child: import('node:child_process').ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startBrokerProcess(dataDir: string): Promise<{ address: string; child: import('node:child_process').ChildProcess }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/run-ts.js'), path.join(ROOT, 'libs/kafka-embedded/src/cli.ts'), '--port', '0', '--data-dir', dataDir, '--log-level', 'warn'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const match = /"listening":"([^"]+)"/.exec(buffered);
      if (match) resolve({ address: match[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`the broker exited (${code}) before it listened`)));
  });
}
