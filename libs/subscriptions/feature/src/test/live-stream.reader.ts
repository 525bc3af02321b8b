/** One server-sent event as received, with when it arrived. */
export interface ReceivedEvent {
  event: string;
  data: unknown;
  at: number;
}

/**
 * Reads GET /v1/live over real HTTP as the page does (fetch, Authorization
 * header), splitting the stream into events as they arrive.
 */
export class LiveStreamReader {
  readonly events: ReceivedEvent[] = [];
  /** The answer's body when it was not a stream (an error). */
  body = '';
  /** Settles when the server ended the stream (or it broke). */
  readonly ended: Promise<void>;
  private readonly abort = new AbortController();

  private constructor(
    readonly status: number,
    body: ReadableStream<Uint8Array> | null,
  ) {
    this.ended = body ? this.read(body).catch(() => undefined) : Promise.resolve();
  }

  static async open(baseUrl: string, key: string | null): Promise<LiveStreamReader> {
    const abort = new AbortController();
    const response = await fetch(`${baseUrl}/v1/live`, { headers: key ? { authorization: `Bearer ${key}` } : {}, signal: abort.signal });
    const reader = new LiveStreamReader(response.status, response.ok ? response.body : null);
    reader.abort.signal.addEventListener('abort', () => abort.abort());
    if (!response.ok) reader.body = await response.text();
    return reader;
  }

  /** Events named `event` about `webhookId`. */
  about(event: string, webhookId: string): ReceivedEvent[] {
    return this.events.filter((received) => received.event === event && (received.data as { webhookId?: string }).webhookId === webhookId);
  }

  close(): void {
    this.abort.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = '';
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffered += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffered.indexOf('\n\n')) >= 0) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const lines = block.split('\n');
        const name = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
        const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length);
        if (name && data !== undefined) this.events.push({ event: name, data: JSON.parse(data), at: Date.now() });
      }
    }
  }
}
