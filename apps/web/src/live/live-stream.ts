import { EventSource } from 'eventsource';

/** `live`: changes arrive as they happen; otherwise the pages fall back to polling. */
export type LiveState = 'connecting' | 'live' | 'down';

/** What changed (read it through the API), or `resync`: read everything again (connected anew, changes may have been missed). */
export type LiveNotice = { kind: 'webhook' | 'delivery'; webhookId: string } | { kind: 'resync' };

/** After a stream that failed for good (not a dropped connection, which reconnects in 2 s by itself). */
const RESTART_MS = 5_000;

/**
 * The tab's one connection to GET /v1/live: server-sent events read with fetch so
 * the API key travels in the Authorization header, as on every call, never in the
 * URL (a browser's EventSource cannot send headers). The `eventsource` package
 * reconnects as the standard says.
 */
export class LiveStream {
  private source: EventSource | null = null;
  private restart: ReturnType<typeof setTimeout> | null = null;
  private readonly noticeListeners = new Set<(notice: LiveNotice) => void>();
  private readonly stateListeners = new Set<(state: LiveState) => void>();
  state: LiveState = 'connecting';

  constructor(
    private readonly apiKey: string,
    private readonly onUnauthorized: () => void,
  ) {}

  start(): void {
    const authorization = `Bearer ${this.apiKey}`;
    const source = new EventSource('/v1/live', { fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, authorization } }) });
    this.source = source;
    source.addEventListener('ready', () => {
      this.setState('live');
      this.emit({ kind: 'resync' });
    });
    source.addEventListener('resync', () => this.emit({ kind: 'resync' }));
    for (const kind of ['webhook', 'delivery'] as const) {
      source.addEventListener(kind, (event) => {
        const webhookId = (JSON.parse(event.data) as { webhookId?: unknown }).webhookId;
        if (typeof webhookId === 'string') this.emit({ kind, webhookId });
      });
    }
    source.addEventListener('error', (error) => {
      if (error.code === 401) return this.onUnauthorized();
      if (source.readyState !== EventSource.CLOSED) return this.setState('connecting');
      // Refused for good (e.g. a 5xx): the standard stops there; try again a little later.
      this.setState('down');
      this.restart = setTimeout(() => this.start(), RESTART_MS);
    });
  }

  stop(): void {
    if (this.restart) clearTimeout(this.restart);
    this.source?.close();
    this.source = null;
  }

  onNotice(listener: (notice: LiveNotice) => void): () => void {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  onState(listener: (state: LiveState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  private emit(notice: LiveNotice): void {
    this.noticeListeners.forEach((listener) => listener(notice));
  }

  private setState(state: LiveState): void {
    if (state === this.state) return;
    this.state = state;
    this.stateListeners.forEach((listener) => listener(state));
  }
}
