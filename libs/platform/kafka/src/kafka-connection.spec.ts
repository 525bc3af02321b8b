import { Writable } from 'node:stream';
import { createLogger } from '@harmony/platform-observability';
import { brokerLogger } from './kafka-connection';

describe('the embedded broker’s log lines in the app’s log', () => {
  it('keep the app logger’s component and name the broker’s part once, as `part`', () => {
    const raw: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        raw.push(chunk.toString());
        done();
      },
    });
    const log = brokerLogger(createLogger({ service: 'all-in-one', destination: stream }).child({ component: 'kafka-embedded' }));

    log.log('info', 'member joined', { component: 'group-coordinator', groupId: 'webhooks.fan-out' });
    log.log('warn', 'broker listening', { port: 9092 });

    // A key written twice is not valid for most JSON log tooling (the last one wins, the first is lost).
    expect(raw.map((line) => line.match(/"component":/g)?.length)).toEqual([1, 1]);
    expect(JSON.parse(raw[0]!)).toMatchObject({ component: 'kafka-embedded', part: 'group-coordinator', groupId: 'webhooks.fan-out', msg: 'member joined', level: 'info' });
    expect(JSON.parse(raw[1]!)).toMatchObject({ component: 'kafka-embedded', port: 9092, msg: 'broker listening', level: 'warn' });
    expect(JSON.parse(raw[1]!)).not.toHaveProperty('part');
  });
});
