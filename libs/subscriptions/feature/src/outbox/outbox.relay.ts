import { Inject, Injectable, type OnApplicationBootstrap, type BeforeApplicationShutdown } from '@nestjs/common';
import { KafkaProducer } from '@harmony/platform-kafka';
import { LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { DataSource, type EntitySubscriberInterface, type InsertEvent, type QueryRunner, type TransactionCommitEvent, type TransactionRollbackEvent } from 'typeorm';
import { OutboxMessageEntity } from '../entities';
import { OutboxRepository } from './outbox.repository';

/**
 * The safety net: rows no commit of this process announced (written by the
 * CLI or another replica, or left by a relay that failed) wait at most this
 * long. Rows this process writes are relayed as soon as they commit.
 */
const POLL_INTERVAL_MS = 5_000;
const BATCH_SIZE = 500;

/**
 * Sends committed outbox rows to Kafka in order, then deletes them. Woken by
 * every commit of this process that wrote outbox rows (whichever service
 * wrote them: a TypeORM subscriber sees the insert and the commit), and on a
 * slow timer for rows written elsewhere. If the process dies between the
 * send and the delete, the rows are sent again on restart: at-least-once,
 * harmless on the compacted topic (same key, same version).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, BeforeApplicationShutdown, EntitySubscriberInterface<OutboxMessageEntity> {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;
  private readonly sent;
  /** Transactions that wrote outbox rows and have not committed yet. */
  private readonly writing = new WeakSet<QueryRunner>();

  constructor(
    dataSource: DataSource,
    private readonly outbox: OutboxRepository,
    @Inject(KafkaProducer) private readonly producer: KafkaProducer,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.sent = metrics.counter({ name: 'subscription_outbox_sent_total', help: 'Outbox messages relayed to Kafka.', labelNames: ['topic'] });
    dataSource.subscribers.push(this);
  }

  listenTo(): typeof OutboxMessageEntity {
    return OutboxMessageEntity;
  }

  /** A row written: relay it once its transaction commits (at once if it ran in none). */
  afterInsert({ queryRunner }: InsertEvent<OutboxMessageEntity>): void {
    if (queryRunner.isTransactionActive) this.writing.add(queryRunner);
    else this.kick();
  }

  /** Also told of savepoints released or rolled back: only the outermost transaction's end counts. */
  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    if (!queryRunner.isTransactionActive && this.writing.delete(queryRunner)) this.kick();
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (!queryRunner.isTransactionActive) this.writing.delete(queryRunner);
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), POLL_INTERVAL_MS);
    this.kick();
  }

  /** Stops relaying; unsent rows stay in the outbox for the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Relay now (after a commit) rather than at the next tick. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'outbox relay failed; will retry'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Sends everything pending; resolves when the outbox is empty (tests, shutdown). */
  async drain(): Promise<void> {
    for (;;) {
      const rows = await this.outbox.oldest(BATCH_SIZE);
      if (rows.length === 0 || this.stopped) return;
      // One request, topics in order of first appearance; order within a topic is the commit order.
      const byTopic = new Map<string, OutboxMessageEntity[]>();
      for (const row of rows) byTopic.set(row.topic, [...(byTopic.get(row.topic) ?? []), row]);
      await this.producer.sendBatch(
        [...byTopic.entries()].map(([topic, messages]) => ({
          topic,
          messages: messages.map((message) => ({ key: message.key, value: message.value })),
        })),
      );
      for (const [topic, messages] of byTopic) this.sent.inc({ topic }, messages.length);
      await this.outbox.delete(rows.map((row) => row.seq));
    }
  }
}
