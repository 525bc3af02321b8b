import type { ConsumerRunner } from '@harmony/platform-kafka';
import type { HealthService, Logger } from '@harmony/platform-observability';
import type { SubscriptionIndexFollower } from './subscription-index.follower';

/** How long boot waits for the subscriptions view before listening anyway (then /ready says "catching up"). */
const BOOT_WAIT_MS = 10_000;

/**
 * The lifecycle fan-out, delivery-worker and retry-scheduler share: follow
 * `webhooks.subscriptions` until caught up, and only then start consuming —
 * so nothing is matched, sent or dropped against a half-read view. Readiness
 * says which of the two it is. Boot waits a little for it (usually well under
 * a second) but never so long that /health stops answering.
 */
export class SubscriptionGatedConsumers {
  private starting: Promise<void> | null = null;
  private consuming = false;
  private stopping = false;
  /** Set only when a consumer stayed down past its bound (the process is then exiting). */
  private startError: unknown = null;

  constructor(
    readonly subscriptions: SubscriptionIndexFollower,
    private readonly runners: readonly ConsumerRunner[],
    private readonly options: { service: string; readinessCheck: string; health: HealthService; logger: Logger },
  ) {}

  /** True once the view has caught up and every consumer runs. */
  get ready(): boolean {
    return this.consuming;
  }

  /** Call from `onApplicationBootstrap`. */
  async bootstrap(): Promise<void> {
    this.options.health.register({
      name: this.options.readinessCheck,
      check: async () => {
        if (this.startError !== null) throw new Error(`failed to start: ${(this.startError as Error).message ?? String(this.startError)}`);
        if (!this.consuming) throw new Error(this.subscriptions.ready ? 'starting its consumers' : 'catching up with webhooks.subscriptions');
        if (!this.subscriptions.consuming || this.runners.some((runner) => !runner.consuming)) throw new Error('a consumer is restarting');
      },
    });
    this.starting = this.start().catch((error: unknown) => {
      this.startError = error;
      this.options.logger.error({ err: error }, `${this.options.service} failed to start`);
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.starting, new Promise((resolve) => (timer = setTimeout(resolve, BOOT_WAIT_MS)))]);
    clearTimeout(timer);
  }

  /** Resolves once every consumer runs. */
  async whenReady(): Promise<void> {
    await this.starting;
    if (!this.consuming) throw new Error(`${this.options.service} did not start`);
  }

  /** Call from `beforeApplicationShutdown`: consumers finish their work, then the view stops. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    // While still catching up, start() waits on the follower forever once it is stopped: do not wait for it.
    if (this.subscriptions.ready) {
      // Stop first: a consumer still retrying its start (broker down) gives up at once instead of holding shutdown.
      await Promise.all(this.runners.map((runner) => runner.stop()));
      await this.starting;
    }
    await this.subscriptions.stop();
    this.consuming = false;
  }

  private async start(): Promise<void> {
    await this.subscriptions.start();
    if (this.stopping) return;
    await Promise.all(this.runners.map((runner) => runner.start()));
    this.consuming = true;
    this.options.logger.info({ subscriptions: this.subscriptions.index.size }, `${this.options.service}: subscriptions caught up; consuming`);
  }
}
