import { Writable } from 'node:stream';
import { createLogger, NestPinoLogger } from './logger';

function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON lines with service, level and time', () => {
    const { lines, stream } = capture();
    createLogger({ service: 'fan-out', destination: stream }).info({ matches: 3 }, 'event fanned out');
    expect(lines[0]).toMatchObject({ service: 'fan-out', level: 'info', matches: 3, msg: 'event fanned out' });
    expect(typeof lines[0]['time']).toBe('string');
  });

  it('never logs secrets, API keys or authorization headers', () => {
    const { lines, stream } = capture();
    createLogger({ service: 'delivery-worker', destination: stream }).info({
      subscription: { secret: 'whsec_c2VjcmV0', apiKey: 'hwk_live_abc' },
      request: { headers: { authorization: 'Bearer hwk_live_abc' } },
    });
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('whsec_c2VjcmV0');
    expect(text).not.toContain('hwk_live_abc');
    expect(text).toContain('[redacted]');
  });

  it('adapts Nest log calls, keeping the context', () => {
    const { lines, stream } = capture();
    new NestPinoLogger(createLogger({ service: 's', destination: stream })).warn('slow consumer', 'DeliveryConsumer');
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'slow consumer', context: 'DeliveryConsumer' });
  });

  it("keeps Nest's per-module start-up lines out of the info log", () => {
    const { lines, stream } = capture();
    const logger = new NestPinoLogger(createLogger({ service: 's', destination: stream }));
    logger.log('FanOutModule dependencies initialized', 'InstanceLoader');
    logger.log('consumer started', 'FanOutConsumer');
    expect(lines.map((line) => line['msg'])).toEqual(['consumer started']);
  });
});
