import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { ALL_API_HANDLERS } from '../apis';
import { unsupportedApiVersionsResponse } from '../apis/api-versions.api';
import { GroupCoordinator } from '../group/group-coordinator';
import { GroupCoordinatorApi } from '../group/group-coordinator.types';
import { API_NAMES, apiName, ApiKey } from '../protocol/api-keys';
import { ByteWriter } from '../protocol/byte-writer';
import { ErrorCode } from '../protocol/error-codes';
import { RequestHeader } from '../protocol/request-header';
import { LogManager, TopicDefaults } from '../storage/log-manager';
import { FsyncPolicy } from '../storage/partition-log';
import { ProducerIdAllocator } from '../storage/producer-id-allocator';
import { ApiHandler, BrokerContext } from './broker-context';
import { BrokerLogger, createJsonLogger } from './broker-logger';
import { Connection } from './connection';

export interface BrokerOptions {
  /** Host to bind and to advertise, exactly as clients are configured (default 127.0.0.1). */
  host?: string;
  /** 0 = any free port; the bound port is advertised. */
  port: number;
  dataDir: string;
  /** Partitions and configs of auto-created topics (and of CreateTopics with -1 partitions). */
  defaults?: Partial<TopicDefaults>;
  /** Default 'always' (see FsyncPolicy). */
  fsync?: FsyncPolicy;
  /** Metadata requests create unknown topics (Kafka's auto.create.topics.enable). Default true. */
  autoCreateTopics?: boolean;
  logger?: BrokerLogger;
  nodeId?: number;
  /** Kafka's socket.request.max.bytes (default 100 MiB). */
  maxRequestBytes?: number;
  /** How often retention and compaction run (default 30 s). */
  maintenanceIntervalMs?: number;
  /** Group coordinator tuning (Kafka's group.* settings). */
  groups?: {
    initialRebalanceDelayMs?: number;
    minSessionTimeoutMs?: number;
    maxSessionTimeoutMs?: number;
  };
}

export interface BrokerStats {
  connections: { open: number; total: number };
  requestsByApi: Record<string, number>;
  bytesIn: number;
  bytesOut: number;
  /** "topic/partition" → offsets. */
  partitions: Record<string, { logStartOffset: number; logEndOffset: number; sizeBytes: number }>;
  groups: ReturnType<GroupCoordinatorApi['stats']>;
}

export interface RunningBroker {
  readonly host: string;
  readonly port: number;
  /** "host:port", ready for kafkajs `brokers`. */
  readonly address: string;
  close(): Promise<void>;
  stats(): BrokerStats;
  /** Runs retention and compaction now (tests; normally on a timer). */
  maintain(): Promise<void>;
  /** The configs a topic was created with (as CreateTopics sent them), or undefined for an unknown topic. */
  topicConfigs(topic: string): Readonly<Record<string, string>> | undefined;
}

const DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024;
const DEFAULT_MAINTENANCE_MS = 30_000;

function listen(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function clusterIdOf(dataDir: string): string {
  const file = path.join(dataDir, 'cluster-id');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    const id = randomUUID().replace(/-/g, '').slice(0, 22);
    fs.writeFileSync(file, id);
    return id;
  }
}

/** Answers for APIs we refuse on purpose, in the API's own response format. */
function refuse(header: RequestHeader): ByteWriter | null {
  if (header.apiKey === ApiKey.ApiVersions) return unsupportedApiVersionsResponse();
  if (header.apiKey === ApiKey.SaslHandshake && header.apiVersion <= 1) {
    // No SASL on this listener: "unsupported mechanism", with no mechanisms offered.
    return new ByteWriter(8).int16(ErrorCode.UNSUPPORTED_SASL_MECHANISM).int32(0);
  }
  return null;
}

export async function startBroker(options: BrokerOptions): Promise<RunningBroker> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? createJsonLogger('info');
  const fsyncPolicy = options.fsync ?? 'always';
  fs.mkdirSync(options.dataDir, { recursive: true });

  const logs = new LogManager({ dataDir: options.dataDir, fsync: fsyncPolicy, logger });
  logs.open();
  const groupsDir = path.join(options.dataDir, 'groups');
  fs.mkdirSync(groupsDir, { recursive: true });
  const groups = new GroupCoordinator({
    dataDir: groupsDir,
    fsync: fsyncPolicy,
    initialRebalanceDelayMs: options.groups?.initialRebalanceDelayMs,
    minSessionTimeoutMs: options.groups?.minSessionTimeoutMs,
    maxSessionTimeoutMs: options.groups?.maxSessionTimeoutMs,
    partitionExists: (topic, partition) => logs.partition(topic, partition) !== undefined,
    log: (level, msg, fields) => logger.log(level, msg, { component: 'group-coordinator', ...fields }),
  });

  const server = net.createServer();
  let port: number;
  try {
    port = await listen(server, host, options.port);
  } catch (err) {
    await groups.close();
    await logs.close();
    throw err;
  }

  let resolveClosing!: () => void;
  const closing = new Promise<void>((r) => (resolveClosing = r));
  const context: BrokerContext = {
    nodeId: options.nodeId ?? 1,
    clusterId: clusterIdOf(options.dataDir),
    host,
    port,
    logs,
    groups,
    producerIds: new ProducerIdAllocator(options.dataDir),
    autoCreateTopics: options.autoCreateTopics ?? true,
    defaults: { numPartitions: options.defaults?.numPartitions ?? 1, configs: { ...options.defaults?.configs } },
    logger,
    closing,
  };

  const handlers = new Map<number, ApiHandler>(ALL_API_HANDLERS.map((h) => [h.apiKey, h]));
  const connections = new Set<Connection>();
  const counters = { total: 0, bytesIn: 0, bytesOut: 0, requests: new Map<number, number>() };
  const hooks = {
    handlers,
    maxRequestBytes: options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
    refuse,
    onBytesIn: (n: number) => (counters.bytesIn += n),
    // Unknown keys share one counter so hostile input cannot grow the metrics.
    onRequest: (apiKey: number) => {
      const key = API_NAMES[apiKey] ? apiKey : -1;
      counters.requests.set(key, (counters.requests.get(key) ?? 0) + 1);
    },
    onResponse: (n: number) => (counters.bytesOut += n),
    onClose: (c: Connection) => connections.delete(c),
  };
  server.on('connection', (socket) => {
    counters.total++;
    connections.add(new Connection(socket, context, hooks));
  });

  const maintenance = setInterval(() => {
    logs.maintain().catch((err) => logger.log('error', 'maintenance failed', { err: String(err) }));
  }, options.maintenanceIntervalMs ?? DEFAULT_MAINTENANCE_MS);
  maintenance.unref();

  logger.log('info', 'broker listening', { host, port, dataDir: options.dataDir, fsync: fsyncPolicy, topics: logs.topics.size });

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      clearInterval(maintenance);
      resolveClosing();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of connections) c.close();
      });
      await groups.close();
      await logs.close();
      logger.log('info', 'broker closed', { host, port });
    })();
    return closed;
  };

  return {
    host,
    port,
    address: `${host}:${port}`,
    close,
    maintain: () => logs.maintain(),
    topicConfigs: (topic) => logs.topics.get(topic)?.configs,
    stats(): BrokerStats {
      const partitions: BrokerStats['partitions'] = {};
      for (const topic of logs.topics.values()) {
        for (const p of topic.partitions) {
          partitions[`${topic.name}/${p.partition}`] = { logStartOffset: p.logStartOffset, logEndOffset: p.nextOffset, sizeBytes: p.sizeBytes };
        }
      }
      return {
        connections: { open: connections.size, total: counters.total },
        requestsByApi: Object.fromEntries([...counters.requests].map(([k, n]) => [k === -1 ? 'unknown' : apiName(k), n])),
        bytesIn: counters.bytesIn,
        bytesOut: counters.bytesOut,
        partitions,
        groups: groups.stats(),
      };
    },
  };
}
