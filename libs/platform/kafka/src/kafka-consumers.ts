import type { BeforeApplicationShutdown, FactoryProvider, InjectionToken, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { HealthService, LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { ConsumerRunner, type ConsumerSpec } from './consumer-runner';
import { KafkaConnection } from './kafka-connection';
import type { Prerequisite } from './prerequisite';

export interface KafkaConsumersOptions {
  /** The service, in logs: `fan-out`. */
  service: string;
  consumers: ConsumerSpec[];
  /** Read to the end before any consumer starts; stopped after them. */
  after?: Prerequisite[];
  /**
   * The /ready check: fails until the prerequisites have caught up and, with
   * `consumers` (the default), while a consumer is not running.
   */
  readiness?: { name: string; consumers?: boolean };
  /**
   * How long boot waits for the consumers to run before the app listens
   * anyway (then /ready says why not); default: boot waits until they run.
   */
  bootWaitMs?: number;
  /** Runs before anything starts (provisioning topics the pipeline does not, say). */
  prepare?(): Promise<void>;
}

/** What a Nest provider of consumers injects and how it builds their options. */
export interface KafkaConsumersProvider {
  provide: InjectionToken;
  inject?: InjectionToken[];
  useFactory(...deps: never[]): KafkaConsumersOptions;
}

/**
 * One service's Kafka consumers, declared: a consumer group per spec (each a
 * ConsumerRunner, supervised), the state they wait for, and readiness. Started
 * on application bootstrap once the prerequisites have caught up; stopped
 * before application shutdown (in-flight work finishes and is committed),
 * then the prerequisites. Declared with `KafkaConsumers.provide(…)` in the
 * service's module:
 *
 *     KafkaConsumers.provide({
 *       provide: FAN_OUT_CONSUMERS,
 *       inject: [FanOutService, SubscriptionView],
 *       useFactory: (fanOut: FanOutService, view: SubscriptionView) => ({
 *         service: 'fan-out',
 *         after: [view],
 *         consumers: [{ groupId, topics, handle: (m) => fanOut.fanOut(m, view.index), onFailure }],
 *       }),
 *     })
 */
export class KafkaConsumers implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown {
  private readonly runners = new Map<string, ConsumerRunner>();
  private readonly after: Prerequisite[];
  /** Prerequisites this group started (and so must stop). */
  private readonly started = new Set<Prerequisite>();
  private starting: Promise<void> | null = null;
  private consuming = false;
  private stopping = false;
  /** The stop under way, begun in onModuleDestroy and awaited in beforeApplicationShutdown. */
  private stopped: Promise<void> | null = null;
  /** Set only when a consumer stayed down past its bound (the process is then exiting). */
  private startError: unknown = null;

  constructor(
    connection: KafkaConnection,
    private readonly options: KafkaConsumersOptions,
    private readonly health: HealthService,
    private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.after = options.after ?? [];
    for (const spec of options.consumers) this.runners.set(spec.groupId, new ConsumerRunner(connection, spec, logger, metrics));
  }

  /** A Nest provider of one service's consumers: `useFactory` gets what `inject` names. */
  static provide({ provide, inject = [], useFactory }: KafkaConsumersProvider): FactoryProvider<KafkaConsumers> {
    return {
      provide,
      inject: [KafkaConnection, HealthService, LOGGER, MetricsService, ...inject],
      useFactory: (connection: KafkaConnection, health: HealthService, logger: Logger, metrics: MetricsService, ...deps: unknown[]) =>
        new KafkaConsumers(connection, useFactory(...(deps as never[])), health, logger, metrics),
    };
  }

  /** True once the prerequisites have caught up and every consumer runs. */
  get ready(): boolean {
    return this.consuming;
  }

  /** The runner of a consumer group. */
  runner(groupId: string): ConsumerRunner {
    const runner = this.runners.get(groupId);
    if (!runner) throw new Error(`${this.options.service}: no consumer group ${groupId}`);
    return runner;
  }

  async onApplicationBootstrap(): Promise<void> {
    const { readiness, bootWaitMs } = this.options;
    if (readiness) this.health.register({ name: readiness.name, check: () => this.readiness(readiness.consumers ?? true) });
    this.starting = this.start().catch((error: unknown) => {
      this.startError = error;
      this.logger.error({ err: error }, `${this.options.service} failed to start`);
      if (bootWaitMs === undefined) throw error;
    });
    if (bootWaitMs === undefined) return this.starting;
    // Boot waits a little (usually well under a second) but never so long that /health stops answering.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.starting, new Promise((resolve) => (timer = setTimeout(resolve, bootWaitMs)))]);
    clearTimeout(timer);
  }

  /** Resolves once every consumer runs. */
  async whenReady(): Promise<void> {
    await this.starting?.catch(() => undefined);
    if (!this.consuming) throw new Error(`${this.options.service} did not start`);
  }

  /**
   * Begins the stop without waiting for it: Nest runs each hook module after
   * module, so every service's consumers finish their fetches and leave their
   * groups at the same time (one fetch wait for the whole process, not one per
   * service); beforeApplicationShutdown waits for it.
   */
  onModuleDestroy(): void {
    if (this.stopped) return;
    this.stopped = this.stop();
    // Its failure is reported when beforeApplicationShutdown awaits it, not as an unhandled rejection meanwhile.
    this.stopped.catch(() => undefined);
  }

  /** Consumers finish their work and leave their groups, then the prerequisites stop. */
  async beforeApplicationShutdown(): Promise<void> {
    await (this.stopped ??= this.stop());
  }

  private async stop(): Promise<void> {
    this.stopping = true;
    // While still catching up, start() waits on a prerequisite forever once it is stopped: do not wait for it.
    if (this.after.every((prerequisite) => prerequisite.ready)) {
      // Stop first: a consumer still retrying its start (broker down) gives up at once instead of holding shutdown.
      await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
      await this.starting?.catch(() => undefined);
    }
    await Promise.all([...this.started].map((prerequisite) => prerequisite.stop()));
    this.started.clear();
    this.consuming = false;
  }

  private async start(): Promise<void> {
    await this.options.prepare?.();
    await Promise.all(
      this.after.map((prerequisite) => {
        this.started.add(prerequisite);
        return prerequisite.start();
      }),
    );
    if (this.stopping) return;
    await Promise.all([...this.runners.values()].map((runner) => runner.start()));
    this.consuming = true;
    this.logger.info({ groups: [...this.runners.keys()] }, `${this.options.service}: consuming`);
  }

  private async readiness(consumers: boolean): Promise<void> {
    if (this.startError !== null) throw new Error(`failed to start: ${(this.startError as Error).message ?? String(this.startError)}`);
    const behind = this.after.filter((prerequisite) => !prerequisite.ready);
    if (behind.length > 0) throw new Error(`catching up with ${behind.map((prerequisite) => prerequisite.reads).join(', ')}`);
    if (!consumers) return;
    if (!this.consuming) throw new Error('starting its consumers');
    if ([...this.after, ...this.runners.values()].some((part) => !part.consuming)) throw new Error('a consumer is restarting');
  }
}
