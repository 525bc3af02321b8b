import { type ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { startApacheKafka } from './apache-kafka';

const ROOT = path.resolve(__dirname, '../../..');

/** A Kafka broker running as its own process, killable and restartable on the same port and data (the crash and fault suites). */
export interface BrokerProcess {
  readonly engine: 'embedded' | 'apache-kafka';
  /** `host:port`, as KAFKA_BROKERS takes it; the same across restarts. */
  readonly address: string;
  /** SIGKILL, as a crash would; resolves once the process is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data directory. */
  restart(): Promise<void>;
  /** SIGTERM (if running); resolves once it exited. */
  stop(): Promise<void>;
}

/** The embedded broker as its own process (`npm run broker`), with its data on disk. */
export async function startEmbeddedBrokerProcess(dataDir: string, options: { partitions?: number } = {}): Promise<BrokerProcess> {
  const args = ['--data-dir', dataDir, '--initial-rebalance-delay-ms', '0', '--log-level', 'warn'];
  if (options.partitions !== undefined) args.push('--partitions', String(options.partitions));
  let running = await spawnEmbeddedBroker(0, args);
  const port = running.port;
  const stopped = (): boolean => running.child.exitCode !== null || running.child.signalCode !== null;
  return {
    engine: 'embedded',
    address: `127.0.0.1:${port}`,
    async kill() {
      if (!stopped()) running.child.kill('SIGKILL');
      await running.exited;
    },
    async restart() {
      // The killed process's port may be held for a moment.
      for (let tries = 0; ; tries++) {
        try {
          running = await spawnEmbeddedBroker(port, args);
          return;
        } catch (error) {
          if (tries >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
    async stop() {
      if (!stopped()) running.child.kill('SIGTERM');
      await running.exited;
    },
  };
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

interface EmbeddedBroker {
  child: ChildProcess;
  port: number;
  exited: Promise<unknown>;
}

function spawnEmbeddedBroker(port: number, args: string[]): Promise<EmbeddedBroker> {
  const child = spawn(process.execPath, [path.join(ROOT, 'scripts/run-ts.js'), path.join(ROOT, 'libs/kafka-embedded/src/cli.ts'), '--port', String(port), ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4_000)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`embedded broker did not listen within 30 s: ${stderr}`));
    }, 30_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
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
