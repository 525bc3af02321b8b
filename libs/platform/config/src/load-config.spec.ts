import { ConfigError, loadConfig } from './load-config';

describe('loadConfig', () => {
  it('applies defaults for a bare environment', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.http).toEqual({ host: '127.0.0.1', port: 3000 });
    expect(config.dataDir).toBe('/srv/app/.data');
    expect(config.database).toEqual({ url: null, pgliteDir: '/srv/app/.data/pglite' });
    expect(config.kafka.brokers).toBeNull();
    expect(config.kafka.embedded).toEqual({ port: 9092, dataDir: '/srv/app/.data/kafka' });
    // Per endpoint, without a webhook's own limit: near Convoy's 5,000/min; Svix sets none (README, Performance).
    expect(config.delivery.endpointRatePerSecond).toBe(100);
  });

  it('parses brokers, ports and the database URL', () => {
    const config = loadConfig(
      { PORT: '8080', KAFKA_BROKERS: 'kafka-1:9092, kafka-2:9092', DATABASE_URL: 'postgres://u@db:5432/webhooks', NODE_ENV: 'production' },
      '/',
    );
    expect(config.http).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(config.kafka.brokers).toEqual(['kafka-1:9092', 'kafka-2:9092']);
    expect(config.database.url).toBe('postgres://u@db:5432/webhooks');
  });

  it('allows no private range in any mode unless configured (empty means none); http only toward configured ranges', () => {
    expect(loadConfig({}, '/').webhooks).toEqual({ allowHttp: true, allowPrivateCidrs: [], timeoutMs: 15_000 });
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_CIDRS: '' }, '/').webhooks.allowPrivateCidrs).toEqual([]);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_CIDRS: ' , ' }, '/').webhooks.allowPrivateCidrs).toEqual([]);
    const production = loadConfig({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/x', KAFKA_BROKERS: 'k:9092' }, '/');
    expect(production.webhooks).toEqual({ allowHttp: false, allowPrivateCidrs: [], timeoutMs: 15_000 });
    expect(loadConfig({ WEBHOOK_ALLOW_HTTP: 'false', WEBHOOK_ALLOW_PRIVATE_CIDRS: '10.0.0.0/8' }, '/').webhooks).toMatchObject({
      allowHttp: false,
      allowPrivateCidrs: ['10.0.0.0/8'],
    });
    expect(() => loadConfig({ WEBHOOK_ALLOW_HTTP: 'yes' }, '/')).toThrow('WEBHOOK_ALLOW_HTTP: must be true or false');
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, '/').database.url).toBeNull();
  });

  it('lists every bad variable in one error, naming each', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', KAFKA_BROKERS: 'localhost', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://root:pw@db/x' }, '/');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((issue) => issue.variable).sort()).toEqual(['DATABASE_URL', 'KAFKA_BROKERS', 'LOG_LEVEL', 'PORT']);
    expect(issues.find((issue) => issue.variable === 'KAFKA_BROKERS')?.reason).toBe(
      'must be a comma-separated list of host:port (got "localhost")',
    );
    // A URL may carry a password: never echoed back.
    expect((error as Error).message).not.toContain('pw@db');
  });

  it('requires real infrastructure in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' }, '/')).toThrow(/DATABASE_URL: is required when NODE_ENV=production[\s\S]*KAFKA_BROKERS/);
  });

  it('gives consumers a 10 s session (failover after kill -9) with 1 s heartbeats, and a bound on being down', () => {
    expect(loadConfig({}, '/').kafka.consumer).toEqual({ sessionTimeoutMs: 10_000, heartbeatIntervalMs: 3_000, maxDownMs: 60_000 });
    expect(loadConfig({ KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '2000', KAFKA_CONSUMER_MAX_DOWN_MS: '5000' }, '/').kafka.consumer).toEqual({
      sessionTimeoutMs: 6_000,
      heartbeatIntervalMs: 2_000,
      maxDownMs: 5_000,
    });
    // A heartbeat too rare for its session would drop healthy members.
    expect(() => loadConfig({ KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '3000' }, '/')).toThrow(/KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third of KAFKA_SESSION_TIMEOUT_MS/);
  });
});
