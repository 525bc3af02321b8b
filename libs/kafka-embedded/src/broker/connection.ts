import * as net from 'node:net';
import { apiName, ApiKey } from '../protocol/api-keys';
import { isSupportedVersion } from '../protocol/api-versions';
import { ByteReader } from '../protocol/byte-reader';
import { ByteWriter } from '../protocol/byte-writer';
import { ProtocolError } from '../protocol/protocol-error';
import { readRequestHeader, RequestHeader, writeResponseHeader } from '../protocol/request-header';
import { ApiHandler, BrokerContext, RequestContext } from './broker-context';

/** The smallest request: apiKey, apiVersion, correlationId, clientId length. */
const MIN_FRAME = 10;
/** Stop reading from a client that does not read its responses. */
const MAX_PENDING_OUTPUT = 64 * 1024 * 1024;

export interface ConnectionHooks {
  handlers: ReadonlyMap<number, ApiHandler>;
  maxRequestBytes: number;
  /** Answers a request for an API this broker does not serve (or null: close). */
  refuse(header: RequestHeader): ByteWriter | null;
  onBytesIn(bytes: number): void;
  onRequest(apiKey: number): void;
  onResponse(bytes: number): void;
  onClose(conn: Connection): void;
}

interface Slot {
  ready: boolean;
  out: ByteWriter | null;
  header: RequestHeader;
}

/**
 * One client socket: splits the byte stream into size-prefixed frames, runs
 * each request as soon as it arrives (so produce appends keep their order)
 * and writes the responses strictly in request order, as Kafka does.
 */
export class Connection {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private readonly pending: Slot[] = [];
  private closed = false;
  private resolveDisconnected!: () => void;
  readonly disconnected = new Promise<void>((r) => (this.resolveDisconnected = r));
  readonly remote: string;

  constructor(
    private readonly socket: net.Socket,
    private readonly broker: BrokerContext,
    private readonly hooks: ConnectionHooks,
  ) {
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    socket.setNoDelay(true);
    socket.on('data', (d) => this.onData(d));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
    socket.on('drain', () => socket.resume());
  }

  close(reason?: string, fields?: Record<string, unknown>): void {
    if (this.closed) return;
    this.closed = true;
    if (reason) this.broker.logger.log('warn', reason, { client: this.remote, ...fields });
    this.socket.destroy();
    this.chunks = [];
    this.resolveDisconnected();
    this.hooks.onClose(this);
  }

  private onData(data: Buffer): void {
    if (this.closed) return;
    this.chunks.push(data);
    this.buffered += data.length;
    while (!this.closed && this.buffered >= 4) {
      const head = this.chunks[0].length >= 4 ? this.chunks[0] : Buffer.concat(this.chunks);
      const size = head.readInt32BE(0);
      if (size < MIN_FRAME || size > this.hooks.maxRequestBytes) {
        const tls = head[0] === 0x16 && head[1] === 0x03;
        this.close(tls ? 'TLS handshake on a plaintext listener: closing' : 'invalid request size: closing', { size });
        return;
      }
      if (this.buffered < size + 4) return;
      const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
      const frame = all.subarray(4, size + 4);
      const rest = all.subarray(size + 4);
      this.chunks = rest.length ? [rest] : [];
      this.buffered = rest.length;
      this.hooks.onBytesIn(size + 4);
      this.onFrame(frame);
    }
  }

  private onFrame(frame: Buffer): void {
    const r = new ByteReader(frame);
    let header: RequestHeader;
    try {
      header = readRequestHeader(r);
    } catch (err) {
      this.close('malformed request header: closing', { err: String(err) });
      return;
    }
    this.hooks.onRequest(header.apiKey);
    const handler = this.hooks.handlers.get(header.apiKey);
    // ApiVersions answers any version (with error 35 when unsupported) so a client can negotiate.
    if (!handler || (header.apiKey !== ApiKey.ApiVersions && !isSupportedVersion(header.apiKey, header.apiVersion))) {
      const refusal = this.hooks.refuse(header);
      if (!refusal) {
        this.close('unsupported API or version: closing', {
          api: apiName(header.apiKey),
          apiKey: header.apiKey,
          version: header.apiVersion,
          clientId: header.clientId,
        });
        return;
      }
      this.pending.push({ ready: true, out: refusal, header });
      this.flush();
      return;
    }
    const slot: Slot = { ready: false, out: null, header };
    this.pending.push(slot);
    const ctx: RequestContext = {
      broker: this.broker,
      header,
      clientHost: this.socket.remoteAddress ?? '',
      disconnected: this.disconnected,
      isConnected: () => !this.closed,
    };
    const fail = (err: unknown): void => {
      if (err instanceof ProtocolError || err instanceof RangeError) {
        this.close('malformed request: closing', { api: apiName(header.apiKey), version: header.apiVersion, err: String(err) });
      } else {
        this.broker.logger.log('error', 'request handler failed: closing the connection', {
          api: apiName(header.apiKey),
          err: err instanceof Error ? err.stack : String(err),
        });
        this.close();
      }
    };
    const done = (out: ByteWriter | null): void => {
      slot.ready = true;
      slot.out = out;
      this.flush();
    };
    try {
      const result = handler.handle(ctx, r);
      if (result instanceof Promise) result.then(done, fail);
      else done(result);
    } catch (err) {
      fail(err);
    }
  }

  private flush(): void {
    if (this.closed) return;
    while (this.pending.length && this.pending[0].ready) {
      const slot = this.pending.shift();
      if (!slot?.out) continue; // acks=0: no response
      const head = new ByteWriter(16);
      writeResponseHeader(head, slot.header);
      const body = slot.out.toChunks();
      const headBuf = head.toBuffer();
      const size = headBuf.length + slot.out.length;
      const prefix = Buffer.allocUnsafe(4);
      prefix.writeInt32BE(size, 0);
      this.socket.cork();
      this.socket.write(prefix);
      this.socket.write(headBuf);
      for (const c of body) this.socket.write(c);
      this.socket.uncork();
      this.hooks.onResponse(size + 4);
    }
    if (this.socket.writableLength > MAX_PENDING_OUTPUT) this.socket.pause();
  }
}
