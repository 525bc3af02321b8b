import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { startApacheKafka } from '@harmony/testing';
import { ROOT } from '../../support/built-app';

/** A Kafka broker running as its own process, killable and restartable on the same port and data. */
export interface BrokerProcess {
  readonly engine: 'embedded' | 'apache-kafka';
  /** `host:port`, as KAFKA_BROKERS takes it; the same across restarts. */
  readonly address: string;
  /** SIGKILL; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** SIGTERM (if running); resolves once it exited. */
  stop(): Promise<void>;
}

/** The embedded broker as its own process (`npm run broker`), with its data on disk. */
export async function startEmbeddedBrokerProcess(dataDir: string): Promise<BrokerProcess> {
  let running = await spawnEmbeddedBroker(0, dataDir);
  const port = running.port;
  return {
    engine: 'embedded',
    address: `127.0.0.1:${port}`,
    async kill() {
      running.child.kill('SIGKILL');
      await running.exited;
    },
    async restart() {
      running = await spawnEmbeddedBroker(port, dataDir);
    },
    async stop() {
      if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGTERM');
      await running.exited;
    },
  };
}

interface EmbeddedBroker {
  child: ChildProcess;
  port: number;
  exited: Promise<unknown>;
}

function spawnEmbeddedBroker(port: number, dataDir: string): Promise<EmbeddedBroker> {
  const args = ['--port', String(port), '--data-dir', dataDir, '--initial-rebalance-delay-ms', '0', '--log-level', 'warn'];
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/run-ts.js'), path.join(ROOT, 'libs/kafka-embedded/src/cli.ts'), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stdout = '';
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded broker did not listen within 30 s: ${stderr}`));
    }, 30_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const line = stdout.split('\n').find((candidate) => candidate.startsWith('{"listening"'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, port: (JSON.parse(line) as { port: number }).port, exited });
        stdout = '';
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`embedded broker exited (${String(code)}) before listening: ${stderr}`));
    });
  });
}

/** Apache Kafka (KRaft, one node, from Maven Central's jars) as its own JVM. */
export async function startApacheKafkaProcess(dataDir: string): Promise<BrokerProcess> {
  let running = await startApacheKafka({ dataDir });
  const port = running.port;
  return {
    engine: 'apache-kafka',
    address: running.address,
    kill: () => running.kill(),
    async restart() {
      running = await startApacheKafka({ port, dataDir });
    },
    stop: () => running.stop(),
  };
}

/**
 * The broker the crash suites run on: Apache Kafka, as in production
 * (`CRASH_KAFKA=apache-kafka`, the default), or the embedded broker as its own
 * process (`CRASH_KAFKA=embedded`).
 */
export function startBrokerProcess(dataDir: string): Promise<BrokerProcess> {
  const engine = process.env['CRASH_KAFKA'] ?? 'apache-kafka';
  if (engine === 'apache-kafka') return startApacheKafkaProcess(dataDir);
  if (engine === 'embedded') return startEmbeddedBrokerProcess(dataDir);
  throw new Error(`CRASH_KAFKA=${engine}: expected apache-kafka or embedded`);
}
