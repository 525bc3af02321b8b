import { z } from 'zod';

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

const port = z.coerce.number().int('must be an integer').min(0, 'must be 0–65535').max(65535, 'must be 0–65535');
const positiveInt = z.coerce.number().int('must be an integer').min(1, 'must be at least 1');

const booleanFlag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

const cidrList = z
  .string()
  .transform((value) => value.split(',').map((cidr) => cidr.trim()).filter(Boolean))
  .refine(
    (cidrs) => cidrs.every((cidr) => /^[0-9a-fA-F.:]+\/\d{1,3}$/.test(cidr)),
    'must be a comma-separated list of CIDRs, e.g. 127.0.0.0/8,::1/128',
  );

const topicList = z
  .string()
  .transform((value) => value.split(',').map((topic) => topic.trim()).filter(Boolean))
  .refine((topics) => topics.length > 0 && topics.every((topic) => /^[A-Za-z0-9._-]{1,249}$/.test(topic)), 'must be a comma-separated list of Kafka topic names');

const brokerList = z
  .string()
  .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
  .refine((brokers) => brokers.length > 0, 'must list at least one host:port')
  .refine(
    (brokers) => brokers.every((broker) => /^[A-Za-z0-9.\-_[\]:]+:\d{1,5}$/.test(broker)),
    'must be a comma-separated list of host:port',
  );

const postgresUrl = z
  .string()
  .refine((value) => /^postgres(ql)?:\/\/[^\s]+$/.test(value), 'must be a postgres:// or postgresql:// URL');

/**
 * Every environment variable the platform reads, with its default. Unset and
 * empty are the same. Groups that only matter when a feature is on are checked
 * in `superRefine` (production has no embedded broker or database).
 */
export const ENV_SCHEMA = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).optional(),
    PORT: port.default(3000),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    DATA_DIR: z.string().min(1).default('.data'),
    DATABASE_URL: postgresUrl.optional(),
    KAFKA_BROKERS: brokerList.optional(),
    KAFKA_CLIENT_ID: z.string().regex(/^[A-Za-z0-9._-]+$/, 'must be letters, digits, dot, dash or underscore').default('harmony-webhooks'),
    KAFKA_EMBEDDED_PORT: port.default(9092),
    KAFKA_TOPIC_PARTITIONS: positiveInt.default(3),
    KAFKA_REPLICATION_FACTOR: positiveInt.default(1),
    /** Compression of produced batches: none (Kafka's default; the embedded broker is on loopback) or gzip. */
    KAFKA_COMPRESSION: z.enum(['none', 'gzip'], { error: 'must be none or gzip' }).default('none'),
    /** A consumer that sends no heartbeat this long is dropped from its group and its partitions move (failover time). */
    KAFKA_SESSION_TIMEOUT_MS: positiveInt.min(1_000, 'must be at least 1000').default(10_000),
    /**
     * 3 s: a third of the session. An idle consumer heartbeats between its 2 s long polls,
     * so every other poll (not every one) — half the idle heartbeats (decision 0101 §5); a
     * rebalance is noticed within ≈ 4 s instead of 2 s. A consumer in a batch heartbeats
     * from its one-second ticker once this has passed: gaps ≤ 4 s, well inside a 10 s session.
     */
    KAFKA_HEARTBEAT_INTERVAL_MS: positiveInt.default(3_000),
    /** A consumer that keeps failing to (re)start this long is dead: /health fails and the process exits 1. */
    KAFKA_CONSUMER_MAX_DOWN_MS: positiveInt.default(60_000),
    SHUTDOWN_GRACE_MS: positiveInt.default(25_000),
    /** `true`/`false`; unset: true outside production. Plain http only ever reaches WEBHOOK_ALLOW_PRIVATE_CIDRS. */
    WEBHOOK_ALLOW_HTTP: booleanFlag.optional(),
    /** CIDRs exempt from the SSRF guard (and the only ones plain http reaches); unset or empty: none, in every mode. */
    WEBHOOK_ALLOW_PRIVATE_CIDRS: cidrList.optional(),
    WEBHOOK_TIMEOUT_MS: positiveInt.default(15_000),
    /** `true`/`false`; unset: on outside production. An empty database gets a workspace and an admin API key at start. */
    SUBSCRIPTIONS_BOOTSTRAP: booleanFlag.optional(),
    DELIVERY_LOG_RETENTION_DAYS: positiveInt.default(30),
    /** subscription-service gRPC API port; unset: no gRPC server. */
    GRPC_PORT: port.optional(),
    /** Upstream topics event-ingest consumes (default: harmony.<category>.events for the five categories). */
    INGEST_UPSTREAM_TOPICS: topicList.optional(),
    /** How long an event id is remembered to drop re-sent duplicates. */
    INGEST_DEDUPE_WINDOW_MS: positiveInt.default(24 * 3_600_000),
    /** Most event ids the dedupe window keeps (≈ 20–40 bytes each); past it the oldest are forgotten first. */
    INGEST_DEDUPE_MAX_IDS: positiveInt.default(2_000_000),
    /** Multiplies every retry tier's delay (tests and demos compress time: 0.0001 turns 10 h into 3.6 s). */
    /** Deliveries in flight at once per delivery-worker process (across all endpoints). */
    DELIVERY_CONCURRENCY: positiveInt.default(64),
    /** Requests per second to one endpoint when its webhook sets no rate limit. */
    DELIVERY_ENDPOINT_RATE_PER_SECOND: positiveInt.default(100),
    RETRY_DELAY_SCALE: z.coerce.number({ error: 'must be a number' }).positive('must be greater than 0').max(1000, 'must be at most 1000').default(1),
  })
  .superRefine((env, ctx) => {
    if (env.KAFKA_HEARTBEAT_INTERVAL_MS * 3 > env.KAFKA_SESSION_TIMEOUT_MS) {
      ctx.addIssue({ code: 'custom', path: ['KAFKA_HEARTBEAT_INTERVAL_MS'], message: 'must be at most a third of KAFKA_SESSION_TIMEOUT_MS' });
    }
    if (env.NODE_ENV !== 'production') return;
    for (const name of ['DATABASE_URL', 'KAFKA_BROKERS'] as const) {
      if (env[name] === undefined) {
        ctx.addIssue({ code: 'custom', path: [name], message: 'is required when NODE_ENV=production (no embedded parts in production)' });
      }
    }
  });

export type RawEnv = z.infer<typeof ENV_SCHEMA>;
