import { createHook } from 'node:async_hooks';
import { type KafkaFixture, startKafkaFixture } from './kafka-test.fixture';

describe('an idle Kafka connection', () => {
  let kafka: KafkaFixture;

  beforeAll(async () => {
    kafka = await startKafkaFixture();
  }, 30_000);

  afterAll(() => kafka.close());

  it('leaves the event loop alone: no timer re-armed every millisecond (kafkajs#1556)', async () => {
    const topic = kafka.unique('idle');
    await kafka.admin.ensureTopics([{ topic }]);
    await kafka.producer.send(topic, [{ key: 'k', value: 'v' }]);
    let timers = 0;
    const hook = createHook({
      init(_id, type) {
        if (type === 'Timeout') timers++;
      },
    });
    hook.enable();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    hook.disable();
    // kafkajs 2.2.4 as released re-arms one per open connection every millisecond (hundreds here).
    expect(timers).toBeLessThan(20);
    // And the connection still works.
    await kafka.producer.send(topic, [{ key: 'k', value: 'again' }]);
  });
});
