/**
 * `npm run kafka:apache -- --port 9092 --data-dir .data/apache-kafka`
 * Runs Apache Kafka (KRaft, one node; the version tools/apache-kafka/pom.xml pins, resolved from
 * Maven Central into ~/.cache/harmony on first use) in the foreground until SIGINT/SIGTERM, then
 * shuts it down cleanly. Prints one JSON line on stdout once it accepts connections.
 */
import { parseArgs } from 'node:util';
import { startApacheKafka } from '../../libs/testing/src/apache-kafka';

const USAGE = 'usage: kafka:apache [--port <port>] [--data-dir <dir>]   (port 0 = any free port)';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9092' },
      'data-dir': { type: 'string', default: '.data/apache-kafka' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(USAGE);

  const kafka = await startApacheKafka({ port, dataDir: values['data-dir'] });
  // One machine-readable line on stdout: scripts and tests wait for it.
  process.stdout.write(JSON.stringify({ listening: kafka.address, port: kafka.port, pid: kafka.pid, version: kafka.version, dataDir: kafka.dataDir, log: kafka.logFile }) + '\n');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(JSON.stringify({ level: 'info', msg: 'stopping Apache Kafka', signal }) + '\n');
    kafka.stop().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`stop failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  // Foreground: this process lives as long as the broker; a broker that dies on its own ends it with an error.
  setInterval(() => {
    try {
      process.kill(kafka.pid, 0);
    } catch {
      if (stopping) return;
      process.stderr.write(`Apache Kafka (pid ${kafka.pid}) exited; see ${kafka.logFile}\n`);
      process.exit(1);
    }
  }, 1_000);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
