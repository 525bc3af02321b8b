/** A ConsumerRunner in its own process (for failover tests that kill it -9); prints "consuming" once it runs. */
import { loadConfig } from '@harmony/platform-config';
import { createLogger } from '@harmony/platform-observability';
import { ConsumerRunner } from '../src/consumer-runner';
import { KafkaConnection } from '../src/kafka-connection';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await KafkaConnection.open(config, createLogger({ service: 'group-member', level: 'silent' }));
  const runner = new ConsumerRunner(
    connection,
    { groupId: process.env['GROUP']!, topics: [process.env['TOPIC']!], handle: async () => undefined, onFailure: async () => undefined },
    createLogger({ service: 'group-member', level: 'silent' }),
  );
  await runner.start();
  process.stdout.write('consuming\n');
}

void main();
