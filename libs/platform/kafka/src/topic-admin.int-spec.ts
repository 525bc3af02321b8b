import { type KafkaFixture, startKafkaFixture } from './kafka-test.fixture';

describe('TopicAdmin', () => {
  let kafka: KafkaFixture;

  beforeAll(async () => {
    kafka = await startKafkaFixture();
  }, 30_000);

  afterAll(() => kafka.close());

  // On Apache Kafka a partition's leader serves requests a moment after CreateTopics answers;
  // a service that provisions its topics and then reads their end offsets must not fail on it.
  it('returns from ensureTopics only once every new topic serves offset requests', async () => {
    const topics = Array.from({ length: 8 }, () => kafka.unique('provisioned'));
    await kafka.admin.ensureTopics(topics.map((topic) => ({ topic, partitions: 3 })));
    const admin = await kafka.admin.connect();
    for (const topic of topics) {
      const offsets = (await admin.fetchTopicOffsets(topic)).sort((x, y) => x.partition - y.partition);
      expect(offsets).toEqual([0, 1, 2].map((partition) => expect.objectContaining({ partition, offset: '0', high: '0', low: '0' })));
    }
  }, 60_000);
});
