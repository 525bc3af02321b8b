/**
 * `npm run test:apache-kafka [-- <extra jest args>]`
 * Starts Apache Kafka (the version tools/apache-kafka/pom.xml pins) on a free port with a fresh
 * data directory and runs, with KAFKA_BROKERS pointing at it, the suites that run on the embedded
 * broker in `npm test` too: the platform-kafka integration specs, the client-level conformance
 * specs of the embedded broker (kafkajs, kcat, retention and compaction), startApacheKafka's own
 * lifecycle spec and the all-in-one end-to-end suite. Exits with Jest's status.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startApacheKafka } from '../../libs/testing/src/apache-kafka';
import { tempDir } from '../../libs/testing/src/temp-dir';

const ROOT = path.resolve(__dirname, '../..');
/** Run one after the other: the first on the shared broker, the second (startApacheKafka's own lifecycle, three JVM starts) alone, not beside the e2e suite. */
const APACHE_KAFKA_RUNS = [
  [
    'libs/platform/kafka/src/.*\\.int-spec\\.ts',
    'libs/kafka-embedded/test/(kafkajs|kcat|retention-compaction)\\.int-spec\\.ts',
    'apps/all-in-one/test/pipeline.e2e-spec.ts',
  ],
  ['libs/testing/src/apache-kafka.int-spec.ts'],
];

async function main(): Promise<number> {
  const started = Date.now();
  const dataDir = tempDir('apache-kafka-tests-');
  const kafka = await startApacheKafka({ dataDir: dataDir.path });
  process.stdout.write(`Apache Kafka ${kafka.version} on ${kafka.address} (pid ${kafka.pid}, up in ${Date.now() - started} ms; log ${kafka.logFile})\n`);
  let code = 0;
  try {
    for (const suites of APACHE_KAFKA_RUNS) {
      const status = await new Promise<number>((resolve) => {
        const jest = spawn(
          process.execPath,
          ['--experimental-vm-modules', '--no-warnings=ExperimentalWarning', 'node_modules/jest/bin/jest.js', '--maxWorkers=2', ...process.argv.slice(2), ...suites],
          { cwd: ROOT, stdio: 'inherit', env: { ...process.env, KAFKA_BROKERS: kafka.address, HARMONY_APACHE_KAFKA: kafka.version } },
        );
        const forward = (signal: NodeJS.Signals): void => void jest.kill(signal);
        process.on('SIGINT', forward).on('SIGTERM', forward);
        jest.once('exit', (exitCode) => {
          process.off('SIGINT', forward).off('SIGTERM', forward);
          resolve(exitCode ?? 1);
        });
      });
      code ||= status;
    }
  } finally {
    await kafka.stop();
    if (code !== 0) process.stdout.write(`Apache Kafka's log is kept in ${kafka.logFile}\n`);
    else dataDir.remove();
  }
  process.stdout.write(`test:apache-kafka took ${Math.round((Date.now() - started) / 1000)} s\n`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
