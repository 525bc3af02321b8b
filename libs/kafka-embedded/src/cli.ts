/**
 * `npm run broker -- --port 9092 --data-dir .data/kafka [--host 127.0.0.1]
 *   [--fsync always|never] [--partitions 1] [--no-auto-create] [--log-level info]`
 * Runs the embedded broker until SIGINT/SIGTERM, then closes it cleanly.
 */
import { parseArgs } from 'node:util';
import { startBroker } from './broker/broker';
import { createJsonLogger, LogLevel } from './broker/broker-logger';

const USAGE = 'usage: broker --port <port> --data-dir <dir> [--host <host>] [--fsync always|never] [--partitions <n>] [--no-auto-create] [--log-level debug|info|warn|error] [--initial-rebalance-delay-ms <ms>] [--min-session-timeout-ms <ms>]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '9092' },
      host: { type: 'string', default: '127.0.0.1' },
      'data-dir': { type: 'string', default: '.data/kafka' },
      fsync: { type: 'string', default: 'always' },
      partitions: { type: 'string', default: '1' },
      'no-auto-create': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      'initial-rebalance-delay-ms': { type: 'string' },
      'min-session-timeout-ms': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE + '\n');
    return;
  }
  const port = Number(values.port);
  const partitions = Number(values.partitions);
  const fsync = values.fsync;
  const level = values['log-level'] as LogLevel;
  if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(partitions) || partitions < 1) throw new Error(USAGE);
  if (fsync !== 'always' && fsync !== 'never') throw new Error(USAGE);
  if (!['debug', 'info', 'warn', 'error'].includes(level)) throw new Error(USAGE);
  const optionalNumber = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));

  const broker = await startBroker({
    host: values.host,
    port,
    dataDir: values['data-dir'] ?? '.data/kafka',
    fsync,
    autoCreateTopics: !values['no-auto-create'],
    defaults: { numPartitions: partitions },
    logger: createJsonLogger(level),
    groups: {
      initialRebalanceDelayMs: optionalNumber(values['initial-rebalance-delay-ms']),
      minSessionTimeoutMs: optionalNumber(values['min-session-timeout-ms']),
    },
  });
  // One machine-readable line on stdout: scripts and tests wait for it.
  process.stdout.write(JSON.stringify({ listening: broker.address, host: broker.host, port: broker.port }) + '\n');

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(JSON.stringify({ level: 'info', msg: 'stopping broker', signal }) + '\n');
    broker.close().then(
      () => process.exit(0),
      (err) => {
        process.stderr.write(`close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
