import { runToExit } from '@harmony/testing';

describe('boot with a bad environment', () => {
  it('exits non-zero naming every bad variable, before starting anything', async () => {
    const { code, output } = await runToExit('apps/all-in-one/src/main.ts', {
      PORT: 'eighty',
      KAFKA_BROKERS: 'no-port-here',
      LOG_LEVEL: 'info',
    });
    expect(code).toBe(1);
    expect(output).toContain('all-in-one: Invalid configuration (2 problems)');
    expect(output).toContain('PORT: expected number, received NaN');
    expect(output).toContain('KAFKA_BROKERS: must be a comma-separated list of host:port (got "no-port-here")');
    expect(output).not.toContain('listening on');
  }, 60_000);
});
