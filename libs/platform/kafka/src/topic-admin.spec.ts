import { isTransient } from './topic-admin';

/** A TypeError as kafkajs's admin throws it when no broker answered its metadata request (seen in the broker-bounce suite). */
function kafkajsNullMetadata(): TypeError {
  const error = new TypeError("Cannot destructure property 'topicMetadata' of '(intermediate value)' as it is null.");
  error.stack = `${error.name}: ${error.message}\n    at Object.listTopics (/app/node_modules/kafkajs/src/admin/index.js:103:13)`;
  return error;
}

describe('isTransient: what ensureTopics retries while the broker restarts', () => {
  it('retries kafkajs retriable errors and exhausted retries', () => {
    expect(isTransient(Object.assign(new Error('broker not connected'), { retriable: true }))).toBe(true);
    expect(isTransient(Object.assign(new Error('outer'), { cause: Object.assign(new Error('inner'), { retriable: true }) }))).toBe(true);
    expect(isTransient(Object.assign(new Error('gave up'), { name: 'KafkaJSNumberOfRetriesExceeded' }))).toBe(true);
  });

  it("retries kafkajs's TypeError on metadata no broker answered (tulios/kafkajs#549)", () => {
    expect(isTransient(kafkajsNullMetadata())).toBe(true);
  });

  it('does not retry our own bugs or refusals', () => {
    const ours = new TypeError("Cannot read properties of null (reading 'topic')");
    ours.stack = `${ours.name}: ${ours.message}\n    at ensureTopicsOnce (/app/libs/platform/kafka/src/topic-admin.ts:45:30)`;
    expect(isTransient(ours)).toBe(false);
    expect(isTransient(Object.assign(new Error('TOPIC_AUTHORIZATION_FAILED'), { retriable: false }))).toBe(false);
    expect(isTransient(null)).toBe(false);
  });
});
