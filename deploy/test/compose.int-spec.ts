import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './support/built-app';
import { runTool, systemTool } from './support/system-tool';

const SERVICES = ['subscription-service', 'event-ingest', 'fan-out', 'delivery-worker', 'retry-scheduler'];

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }> | string[];
  stop_grace_period?: string;
  volumes?: string[];
  command?: string[];
}

describe('docker-compose.yml', () => {
  const composePath = path.join(ROOT, 'docker-compose.yml');
  const compose = parse(readFileSync(composePath, 'utf8'), { merge: true }) as { services: Record<string, ComposeService> };
  const tool = systemTool('docker-compose');

  (tool ? it : it.skip)('`docker-compose config` accepts it', () => {
    const result = runTool(tool as string, ['-f', composePath, 'config', '--quiet'], ROOT);
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  });

  it('runs Apache Kafka in KRaft mode (official image, no ZooKeeper) and PostgreSQL', () => {
    const kafka = compose.services['kafka'];
    expect(kafka.image).toMatch(/^apache\/kafka:/);
    // The Apache Kafka the suites run on (npm run test:apache-kafka resolves it from this pom).
    const tested = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(readFileSync(path.join(ROOT, 'tools/apache-kafka/pom.xml'), 'utf8'))?.[1];
    expect(kafka.image).toBe(`apache/kafka:${tested}`);
    expect(kafka.environment?.['KAFKA_PROCESS_ROLES']).toBe('broker,controller');
    expect(Object.keys(compose.services).some((name) => /zookeeper/i.test(name))).toBe(false);
    expect(compose.services['postgres'].image).toMatch(/^postgres:/);
  });

  it.each(SERVICES)('%s: built from deploy/docker/Dockerfile for itself, production config, waits for healthy dependencies', (name) => {
    const service = compose.services[name];
    expect(service.build).toMatchObject({ dockerfile: 'deploy/docker/Dockerfile', args: { APP: name } });
    expect(service.environment).toMatchObject({ NODE_ENV: 'production', KAFKA_BROKERS: 'kafka:9092' });
    expect(service.environment?.['DATABASE_URL']).toMatch(/^postgres:\/\/.*@postgres:5432\//);
    expect(service.depends_on).toMatchObject({ kafka: { condition: 'service_healthy' }, postgres: { condition: 'service_healthy' } });
    expect(service.healthcheck?.test.join(' ')).toContain('/ready');
    const graceMs = Number(service.environment?.['SHUTDOWN_GRACE_MS']);
    expect(Number.parseInt(service.stop_grace_period ?? '0', 10) * 1000).toBeGreaterThan(graceMs);
  });

  it('publishes the page and the REST API (localhost:3000) and the gRPC API (localhost:50051)', () => {
    expect(compose.services['subscription-service']).toMatchObject({ ports: ['3000:3000', '50051:50051'], environment: { GRPC_PORT: '50051' } });
  });

  it('Prometheus scrapes every service and loads the rules; Grafana gets the provisioning and dashboards', () => {
    const prometheus = compose.services['prometheus'];
    expect(prometheus.volumes).toEqual(
      expect.arrayContaining(['./deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro', './deploy/prometheus/rules:/etc/prometheus/rules:ro']),
    );
    const config = parse(readFileSync(path.join(ROOT, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string; static_configs?: { targets: string[] }[] }[];
    };
    const targets = config.scrape_configs.find((job) => job.job_name === 'harmony-webhooks')?.static_configs?.flatMap((group) => group.targets);
    expect(targets?.sort()).toEqual(SERVICES.map((name) => `${name}:3000`).sort());
    expect(compose.services['grafana'].volumes).toEqual(
      expect.arrayContaining(['./deploy/grafana/provisioning:/etc/grafana/provisioning:ro', './deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro']),
    );
  });
});
