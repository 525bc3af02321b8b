import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DatabaseNotifications } from '@harmony/platform-database';
import { LOGGER, type Logger, MetricsService } from '@harmony/platform-observability';
import { type Actor, LIVE_CHANNEL, type LiveChange, mayWatch, parseLiveChange } from '@harmony/subscriptions/domain';

/** One open live stream: who watches (re-read while it lasts) and where its changes go. */
export interface LiveWatcher {
  actor: Actor;
  /** The API key the stream was opened with: streams are counted per key. */
  readonly keyId: string;
  send(change: LiveChange): void;
  /** Changes may have been missed (the database connection was lost): read everything again. */
  resync(): void;
  /** The service is stopping. */
  close(): void;
}

/**
 * Every replica hears every change on the database's `webhooks_live` channel,
 * whichever replica wrote it, and passes each to the streams that may see it.
 */
@Injectable()
export class LiveChangesHub implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly watchers = new Set<LiveWatcher>();
  private readonly perKey = new Map<string, number>();
  private stopListening: (() => Promise<void>) | null = null;
  private readonly streams;
  private readonly pushed;

  constructor(
    private readonly notifications: DatabaseNotifications,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.streams = metrics.gauge({ name: 'subscription_live_streams', help: 'Open live streams of the page (GET /v1/live).' });
    this.pushed = metrics.counter({ name: 'subscription_live_changes_total', help: 'Changes pushed to live streams.', labelNames: ['kind'] });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.stopListening = await this.notifications.listen(LIVE_CHANNEL, {
      onPayload: (payload) => this.dispatch(payload),
      onGap: () => this.watchers.forEach((watcher) => watcher.resync()),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.watchers.forEach((watcher) => watcher.close());
    this.watchers.clear();
    this.perKey.clear();
    this.streams.set(0);
    await this.stopListening?.();
  }

  /** Streams open with this key on this replica. */
  streamsOf(keyId: string): number {
    return this.perKey.get(keyId) ?? 0;
  }

  /** Starts passing changes to `watcher`; the answer stops it. */
  watch(watcher: LiveWatcher): () => void {
    this.watchers.add(watcher);
    this.perKey.set(watcher.keyId, this.streamsOf(watcher.keyId) + 1);
    this.streams.set(this.watchers.size);
    return () => {
      if (!this.watchers.delete(watcher)) return;
      const left = this.streamsOf(watcher.keyId) - 1;
      if (left > 0) this.perKey.set(watcher.keyId, left);
      else this.perKey.delete(watcher.keyId);
      this.streams.set(this.watchers.size);
    };
  }

  private dispatch(payload: string): void {
    const change = parseLiveChange(payload);
    if (!change) {
      this.logger.warn({ channel: LIVE_CHANNEL, length: payload.length }, 'ignored a live notification that is not a change');
      return;
    }
    for (const watcher of this.watchers) {
      if (!mayWatch(watcher.actor, change)) continue;
      watcher.send(change);
      this.pushed.inc({ kind: change.kind });
    }
  }
}
