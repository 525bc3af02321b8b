import createPostgresSubscriber, { type Subscriber } from 'pg-listen';
import type { DataSource } from 'typeorm';
import type { PgliteDriver } from './pglite-driver';

/** What a listener is told: a payload, or that notifications may have been missed (the connection was lost). */
export interface NotificationHandlers {
  onPayload(payload: string): void;
  onGap(): void;
}

/**
 * PostgreSQL LISTEN for the DataSource's database, whichever it is: on a server,
 * one dedicated connection per process (pg-listen, reconnecting forever; every
 * replica hears every NOTIFY); on PGlite, the one in-process session. A NOTIFY is
 * heard only once its transaction committed.
 */
export class DatabaseNotifications {
  constructor(private readonly dataSource: DataSource) {}

  /** Listens on `channel` until the returned stop is called. */
  async listen(channel: string, handlers: NotificationHandlers): Promise<() => Promise<void>> {
    const options = this.dataSource.options;
    if ('driver' in options && options.driver) return (options.driver as PgliteDriver).listen(channel, handlers.onPayload);
    const url = 'url' in options ? options.url : undefined;
    if (!url) throw new Error('LISTEN needs the DataSource of a PostgreSQL URL or PGlite');
    const subscriber: Subscriber = createPostgresSubscriber(
      { connectionString: url, application_name: 'harmony-webhooks-listen' },
      // Reconnect for as long as it takes (retryTimeout 0: no deadline), backing off to 5 s.
      { retryTimeout: 0, retryInterval: (attempt) => Math.min(5_000, 250 * 2 ** attempt), parse: (text) => text },
    );
    subscriber.notifications.on(channel, (payload: string) => handlers.onPayload(payload));
    // Reconnected: whatever was notified meanwhile was not heard.
    subscriber.events.on('connected', () => handlers.onGap());
    subscriber.events.on('error', () => handlers.onGap());
    await subscriber.connect();
    await subscriber.listenTo(channel);
    return () => subscriber.close();
  }
}
