import { type BrokerProcess, startApacheKafkaProcess, startEmbeddedBrokerProcess } from '@harmony/testing';

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
