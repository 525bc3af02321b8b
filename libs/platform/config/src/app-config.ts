import * as path from 'node:path';
import type { RawEnv } from './config.schema';

/** The typed configuration every service receives (inject with `APP_CONFIG`). */
export interface AppConfig {
  env: RawEnv['NODE_ENV'];
  http: { host: string; port: number };
  logLevel: RawEnv['LOG_LEVEL'];
  dataDir: string;
  database: { url: string | null; pgliteDir: string };
  kafka: {
    /** null: start the embedded Kafka-protocol broker in this process. */
    brokers: string[] | null;
    clientId: string;
    embedded: { port: number; dataDir: string };
    topicDefaults: { partitions: number; replicationFactor: number };
    /** Compression of produced batches. */
    compression: 'none' | 'gzip';
    consumer: {
      /** How long a silent member keeps its partitions: bounds failover after a crash. */
      sessionTimeoutMs: number;
      heartbeatIntervalMs: number;
      /** How long a consumer may keep failing to (re)start before the process gives up (exits 1). */
      maxDownMs: number;
    };
  };
  shutdownGraceMs: number;
  webhooks: {
    /** Whether plain http may be used toward `allowPrivateCidrs` (never toward a public address). */
    allowHttp: boolean;
    /** Address ranges the SSRF guard lets through, and the only ones plain http may reach (explicit configuration only). */
    allowPrivateCidrs: string[];
    timeoutMs: number;
  };
  subscriptions: {
    /** Create a workspace and an admin API key when the database has no workspace (single-machine default). */
    bootstrap: boolean;
    /** Days delivery log rows and stored event payloads are kept. */
    deliveryLogRetentionDays: number;
    /** gRPC API for internal callers; null: not served. Binds to `http.host`. */
    grpcPort: number | null;
  };
  delivery: {
    concurrency: number;
    endpointRatePerSecond: number;
  };
  retry: {
    /** Factor on every retry tier's delay; 1 in production. */
    delayScale: number;
  };
  ingest: {
    /** null: the five default upstream topics. */
    upstreamTopics: string[] | null;
    dedupeWindowMs: number;
    /** Bound of the dedupe window's memory, in event ids. */
    dedupeMaxIds: number;
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');

export function toAppConfig(env: RawEnv, cwd: string): AppConfig {
  const dataDir = path.resolve(cwd, env.DATA_DIR);
  return {
    env: env.NODE_ENV,
    // Listen on loopback unless told otherwise: a laptop's webhook admin should not be on the LAN.
    http: { host: env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1'), port: env.PORT },
    logLevel: env.LOG_LEVEL,
    dataDir,
    database: { url: env.DATABASE_URL ?? null, pgliteDir: path.join(dataDir, 'pglite') },
    kafka: {
      brokers: env.KAFKA_BROKERS ?? null,
      clientId: env.KAFKA_CLIENT_ID,
      embedded: { port: env.KAFKA_EMBEDDED_PORT, dataDir: path.join(dataDir, 'kafka') },
      topicDefaults: { partitions: env.KAFKA_TOPIC_PARTITIONS, replicationFactor: env.KAFKA_REPLICATION_FACTOR },
      compression: env.KAFKA_COMPRESSION,
      consumer: {
        sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
        heartbeatIntervalMs: env.KAFKA_HEARTBEAT_INTERVAL_MS,
        maxDownMs: env.KAFKA_CONSUMER_MAX_DOWN_MS,
      },
    },
    shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    webhooks: {
      allowHttp: env.WEBHOOK_ALLOW_HTTP ?? env.NODE_ENV !== 'production',
      // Nothing private in any mode unless configured: `npm start` allows loopback for the local demo, and says so.
      allowPrivateCidrs: env.WEBHOOK_ALLOW_PRIVATE_CIDRS ?? [],
      timeoutMs: env.WEBHOOK_TIMEOUT_MS,
    },
    subscriptions: {
      bootstrap: env.SUBSCRIPTIONS_BOOTSTRAP ?? env.NODE_ENV !== 'production',
      deliveryLogRetentionDays: env.DELIVERY_LOG_RETENTION_DAYS,
      grpcPort: env.GRPC_PORT ?? null,
    },
    delivery: { concurrency: env.DELIVERY_CONCURRENCY, endpointRatePerSecond: env.DELIVERY_ENDPOINT_RATE_PER_SECOND },
    retry: { delayScale: env.RETRY_DELAY_SCALE },
    ingest: { upstreamTopics: env.INGEST_UPSTREAM_TOPICS ?? null, dedupeWindowMs: env.INGEST_DEDUPE_WINDOW_MS, dedupeMaxIds: env.INGEST_DEDUPE_MAX_IDS },
  };
}
