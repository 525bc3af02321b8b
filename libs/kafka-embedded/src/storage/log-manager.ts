import * as fs from 'node:fs';
import * as path from 'node:path';
import { BrokerLogger } from '../broker/broker-logger';
import { ErrorCode } from '../protocol/error-codes';
import { compactLog } from './log-compactor';
import { FsyncPolicy, PartitionLog } from './partition-log';
import { configProblem, effectiveConfig, EffectiveTopicConfig } from './topic-config';

export interface TopicDefaults {
  /** Partitions of an auto-created topic (or CreateTopics with -1). */
  numPartitions: number;
  /** Configs of an auto-created topic. */
  configs: Record<string, string>;
}

export interface Topic {
  name: string;
  partitions: PartitionLog[];
  configs: Record<string, string>;
  effective: EffectiveTopicConfig;
}

export interface LogManagerOptions {
  dataDir: string;
  fsync: FsyncPolicy;
  logger: BrokerLogger;
}

const TOPIC_META = 'topic.json';
// Each partition holds two file descriptors; a hostile CreateTopics must not exhaust them.
const MAX_PARTITIONS = 1000;
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]+$/;

export function topicNameProblem(name: string): string | null {
  if (name.length === 0) return 'topic name is empty';
  if (name.length > 249) return 'topic name is longer than 249 characters';
  if (name === '.' || name === '..') return 'topic name cannot be "." or ".."';
  if (!LEGAL_TOPIC.test(name)) return 'topic name may only contain ASCII alphanumerics, ".", "_" and "-"';
  return null;
}

export class TopicError extends Error {
  constructor(
    readonly errorCode: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Every topic and its partitions under `<dataDir>/topics/<topic>/`:
 * `topic.json` (partition count and configs, written last when a topic is
 * created, so a half-created topic is discarded on start) and one directory
 * per partition.
 */
export class LogManager {
  readonly topics = new Map<string, Topic>();
  private readonly root: string;
  private maintaining = false;
  private graves = 0;

  constructor(private readonly opts: LogManagerOptions) {
    this.root = path.join(opts.dataDir, 'topics');
  }

  open(): void {
    fs.mkdirSync(this.root, { recursive: true });
    for (const name of fs.readdirSync(this.root)) {
      const dir = path.join(this.root, name);
      if (name.startsWith('.')) {
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      let meta: { name: string; partitions: number; configs: Record<string, string> };
      try {
        meta = JSON.parse(fs.readFileSync(path.join(dir, TOPIC_META), 'utf8'));
      } catch {
        this.opts.logger.log('warn', 'discarding a topic directory without metadata', { dir });
        fs.rmSync(dir, { recursive: true, force: true });
        continue;
      }
      const topic = this.newTopic(meta.name, meta.configs ?? {});
      for (let p = 0; p < meta.partitions; p++) topic.partitions.push(this.openPartition(topic, p));
      this.topics.set(topic.name, topic);
    }
  }

  private newTopic(name: string, configs: Record<string, string>): Topic {
    return { name, partitions: [], configs, effective: effectiveConfig(configs) };
  }

  private openPartition(topic: Topic, partition: number): PartitionLog {
    return PartitionLog.open({
      dir: path.join(this.root, topic.name, String(partition)),
      topic: topic.name,
      partition,
      fsync: this.opts.fsync,
      config: () => topic.effective,
      logger: this.opts.logger,
    });
  }

  get(topic: string): Topic | undefined {
    return this.topics.get(topic);
  }

  partition(topic: string, partition: number): PartitionLog | undefined {
    return this.topics.get(topic)?.partitions[partition];
  }

  /** Checks a creation request; throws TopicError with Kafka's code. */
  validate(name: string, numPartitions: number, configs: Record<string, string | null>): void {
    const nameProblem = topicNameProblem(name);
    if (nameProblem) throw new TopicError(ErrorCode.INVALID_TOPIC_EXCEPTION, nameProblem);
    if (this.topics.has(name)) throw new TopicError(ErrorCode.TOPIC_ALREADY_EXISTS, `Topic '${name}' already exists.`);
    if (!Number.isInteger(numPartitions) || numPartitions < 1 || numPartitions > MAX_PARTITIONS) {
      throw new TopicError(ErrorCode.INVALID_PARTITIONS, `invalid number of partitions: ${numPartitions}`);
    }
    for (const [k, v] of Object.entries(configs)) {
      const problem = configProblem(k, v);
      if (problem) throw new TopicError(ErrorCode.INVALID_CONFIG, problem);
    }
  }

  createTopic(name: string, numPartitions: number, configs: Record<string, string | null>): Topic {
    this.validate(name, numPartitions, configs);
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(configs)) if (v !== null) kept[k] = v;
    const dir = path.join(this.root, name);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    const topic = this.newTopic(name, kept);
    for (let p = 0; p < numPartitions; p++) topic.partitions.push(this.openPartition(topic, p));
    const tmp = path.join(dir, TOPIC_META + '.tmp');
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeSync(fd, JSON.stringify({ name, partitions: numPartitions, configs: kept }, null, 2));
      if (this.opts.fsync === 'always') fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path.join(dir, TOPIC_META));
    this.topics.set(name, topic);
    this.opts.logger.log('info', 'topic created', { topic: name, partitions: numPartitions, configs: kept });
    return topic;
  }

  async deleteTopic(name: string): Promise<void> {
    const topic = this.topics.get(name);
    if (!topic) throw new TopicError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic ${name}`);
    this.topics.delete(name);
    // Renamed in the same tick as the map removal, before any await: a crash mid-delete cannot
    // resurrect a half-deleted topic, and a CreateTopics of the same name arriving while the
    // partitions close gets a fresh directory instead of having its own renamed away.
    // (Open segment files are closed by descriptor, so closing after the rename is safe.)
    const grave = path.join(this.root, `.deleted-${name}-${Date.now()}-${++this.graves}`);
    fs.renameSync(path.join(this.root, name), grave);
    await Promise.all(topic.partitions.map((p) => p.close()));
    fs.rmSync(grave, { recursive: true, force: true });
    this.opts.logger.log('info', 'topic deleted', { topic: name });
  }

  /** Retention, segment.ms rolling and compaction; one pass at a time. */
  async maintain(now = Date.now()): Promise<void> {
    if (this.maintaining) return;
    this.maintaining = true;
    try {
      for (const topic of [...this.topics.values()]) {
        for (const log of topic.partitions) {
          if (log.isClosed) continue;
          try {
            log.applyRetention(now);
            if (topic.effective.compact && log.compactedUpTo !== log.nextOffset) {
              const upTo = log.nextOffset;
              const stats = await compactLog(log, now, topic.effective.deleteRetentionMs);
              log.compactedUpTo = upTo;
              if (stats.recordsRemoved) {
                this.opts.logger.log('info', 'compacted', { topic: topic.name, partition: log.partition, ...stats });
              }
            }
          } catch (err) {
            this.opts.logger.log('error', 'log maintenance failed', { topic: topic.name, partition: log.partition, err: String(err) });
          }
        }
      }
    } finally {
      this.maintaining = false;
    }
  }

  async close(): Promise<void> {
    for (const topic of this.topics.values()) await Promise.all(topic.partitions.map((p) => p.close()));
  }
}
