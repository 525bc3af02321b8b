import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { performance } from 'node:perf_hooks';
import { Agent } from 'undici';
import { RESPONSE_BODY_LIMIT_BYTES } from '@harmony/contracts';
import {
  type AddressPolicy,
  classifyResponse,
  type DeliveryFailure,
  HEADER_NAME_PATTERN,
  isReservedHeader,
  NetworkFailure,
  type NetworkFailureCode,
  signWebhook,
  SsrfPolicy,
  type StatusClass,
  TargetRefused,
  TimeoutFailure,
} from '@harmony/webhooks/domain';
import { guardedLookup, type HostResolver, SsrfRefusedError, systemResolver } from './guarded-lookup';

/** Keep in step with the root package.json (a unit test checks). */
export const HARMONY_WEBHOOKS_VERSION = '0.1.0';
export const DEFAULT_USER_AGENT = `Harmony-Webhooks/${HARMONY_WEBHOOKS_VERSION}`;

export interface WebhookSenderOptions {
  /** Config `webhooks.allowPrivateCidrs`: ranges the SSRF guard lets through. */
  allowPrivateCidrs: readonly string[];
  /** Config `webhooks.allowHttp`: whether plain http targets are allowed. */
  allowHttp: boolean;
  /** Whole-attempt deadline: connect, headers and body (15 s in production). */
  timeoutMs: number;
  /** Response bytes kept (default 16 KiB). */
  maxResponseBytes?: number;
  userAgent?: string;
  /** Open connections per origin (default 16). */
  connectionsPerOrigin?: number;
  /** An idle keep-alive socket closes after this; an origin pool with none left is dropped (default 4 s). */
  keepAliveTimeoutMs?: number;
  /** DNS; defaults to the system resolver (`dns.lookup`, all addresses). */
  resolve?: HostResolver;
  /** Wall clock for `webhook-timestamp` and Retry-After dates. */
  now?: () => number;
}

export interface SendRequest {
  url: string;
  /** Becomes `webhook-id`: the event id, the same on every retry. */
  eventId: string;
  /** The exact JSON body to send and sign. */
  body: string;
  /** Every currently valid `whsec_` secret: current first, rotated-out ones still accepted. */
  secrets: readonly string[];
  /** The subscription's custom headers; they cannot override webhook-*, content-type or user-agent. */
  headers?: Readonly<Record<string, string>>;
  /** Unix seconds for `webhook-timestamp` (default now). */
  timestamp?: number;
}

export interface SendResult {
  outcome: 'success' | 'failure';
  /** `null` when no response was received. */
  status: number | null;
  durationMs: number;
  /** First `maxResponseBytes` of the body as UTF-8 (never a split character); `null` without a response. */
  responseBody: string | null;
  responseBodyTruncated: boolean;
  responseHeaders: Record<string, string>;
  error: { code: string; message: string } | null;
  /** Headers sent, signature included (it is not a secret); credential-looking custom header values redacted. */
  requestHeaders: Record<string, string>;
  /** The receiver's `Retry-After` (429/503 only). */
  retryAfterMs: number | null;
  statusClass: StatusClass;
  /** The typed failure, which carries its own retry decision; `null` on success. */
  failure: DeliveryFailure | null;
}

const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const CREDENTIAL_HEADER = /^(authorization|cookie)$|secret|token|password|api[-_]?key|auth/i;
const REDACTED = '[redacted]';

/**
 * Sends one signed webhook request (Standard Webhooks) through the SSRF guard.
 *
 * - URL rules and IP literals are checked before anything else; host names are
 *   resolved and every address checked inside the socket's own lookup, so the
 *   connection goes only to an address that was checked (docs/decisions/0020-delivery-ssrf-guard.md).
 * - Redirects are never followed (undici's request API does not follow them).
 * - One undici Agent: a pool per origin with bounded connections; a pool
 *   whose sockets have all gone idle and closed is dropped.
 * - Never throws for a delivery problem: the result says what happened.
 */
export class WebhookSender {
  private readonly policy: SsrfPolicy;
  /** One pool per scheme: an `http:` origin may only reach allow-listed addresses, so its lookup checks that. */
  private readonly agents: { https: Agent; http: Agent };
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly userAgent: string;
  private readonly now: () => number;

  constructor(options: WebhookSenderOptions) {
    this.policy = new SsrfPolicy({ allowHttp: options.allowHttp, allowPrivateCidrs: options.allowPrivateCidrs });
    this.timeoutMs = options.timeoutMs;
    this.maxResponseBytes = options.maxResponseBytes ?? RESPONSE_BODY_LIMIT_BYTES;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.now = options.now ?? Date.now;
    const keepAliveTimeout = options.keepAliveTimeoutMs ?? 4_000;
    const resolve = options.resolve ?? systemResolver;
    const agent = (addresses: AddressPolicy): Agent =>
      new Agent({
        connections: options.connectionsPerOrigin ?? 16,
        pipelining: 1,
        keepAliveTimeout,
        // Also caps a longer keep-alive the receiver advertises: idle sockets never outlive our setting.
        keepAliveMaxTimeout: keepAliveTimeout,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        connect: { timeout: this.timeoutMs, lookup: guardedLookup(addresses, resolve) },
      });
    this.agents = { https: agent(this.policy.addresses), http: agent(this.policy.httpAddresses) };
  }

  /**
   * One attempt. Resolves with the outcome for every delivery problem; rejects only
   * for a caller error (no signing secret, a malformed one).
   */
  async send(request: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const timestamp = request.timestamp ?? Math.floor(this.now() / 1000);
    const headers = this.buildHeaders(request, timestamp);
    const requestHeaders = redact(headers, request.headers);
    const finish = (partial: Omit<SendResult, 'durationMs' | 'requestHeaders'>): SendResult => ({
      ...partial,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      requestHeaders,
    });

    const verdict = this.policy.checkUrl(request.url);
    if (!verdict.ok) {
      // Refused as written. Retryable all the same: the worker reads the webhook's URL and runs under the
      // operator's policy at every attempt, and either may be fixed (a policy tightened after the webhook
      // was saved, docs/decisions/0096): the job waits on the retry schedule instead of being dropped.
      const code = verdict.code === 'address_refused' || verdict.code === 'hostname_refused' ? 'ssrf_blocked' : 'invalid_url';
      return finish(failed(new TargetRefused(code, verdict.reason, true)));
    }
    const { url } = verdict.target;
    const agent = url.protocol === 'http:' ? this.agents.http : this.agents.https;

    // One deadline for connect, headers and body. undici accepts an EventEmitter as the abort
    // signal, which costs less per request than an AbortController.
    const deadline = new EventEmitter();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.emit('abort');
    }, this.timeoutMs);
    try {
      const response = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers,
        body: request.body,
        signal: deadline,
      });
      const { text, truncated } = await readLimited(response.body, this.maxResponseBytes);
      const responseHeaders = flattenHeaders(response.headers);
      const classification = classifyResponse(response.statusCode, response.headers['retry-after'], this.now());
      const base = { status: response.statusCode, responseBody: text, responseBodyTruncated: truncated, responseHeaders };
      if (classification.ok) {
        return finish({ ...base, outcome: 'success', error: null, retryAfterMs: null, statusClass: '2xx', failure: null });
      }
      const { failure } = classification;
      return finish({ ...base, outcome: 'failure', error: failure.toAttemptError(), retryAfterMs: failure.retryAfterMs, statusClass: failure.statusClass, failure });
    } catch (error) {
      return finish(failed(timedOut ? new TimeoutFailure(this.timeoutMs) : this.toFailure(error)));
    } finally {
      clearTimeout(timer);
    }
  }

  /** Origins that currently hold a connection pool (pools with no connections left are dropped). */
  get openOrigins(): string[] {
    return [...Object.keys(this.agents.https.stats), ...Object.keys(this.agents.http.stats)];
  }

  async close(): Promise<void> {
    await Promise.all([this.agents.https.close(), this.agents.http.close()]);
  }

  private buildHeaders(request: SendRequest, timestamp: number): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) {
      if (isReservedHeader(name)) continue;
      // A header undici would reject (or one smuggling a line break) is dropped rather than failing every attempt.
      if (!HEADER_NAME_PATTERN.test(name) || typeof value !== 'string' || !HEADER_VALUE.test(value)) continue;
      headers[name.toLowerCase()] = value;
    }
    headers['webhook-id'] = request.eventId;
    headers['webhook-timestamp'] = String(timestamp);
    headers['webhook-signature'] = signWebhook({ id: request.eventId, timestamp, body: request.body }, request.secrets);
    headers['content-type'] = 'application/json';
    headers['user-agent'] = this.userAgent;
    return headers;
  }

  private toFailure(error: unknown): DeliveryFailure {
    for (let cause: unknown = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
      if (cause instanceof SsrfRefusedError) return new TargetRefused('ssrf_blocked', cause.message, true);
      const code = (cause as { code?: unknown }).code;
      if (typeof code !== 'string') continue;
      if (code === 'UND_ERR_CONNECT_TIMEOUT') return new TimeoutFailure(this.timeoutMs, 'connect');
      if (code === 'UND_ERR_HEADERS_TIMEOUT') return new TimeoutFailure(this.timeoutMs, 'headers');
      if (code === 'UND_ERR_BODY_TIMEOUT') return new TimeoutFailure(this.timeoutMs, 'body');
      const network = networkCode(code);
      if (network) return new NetworkFailure(network, `${code}: ${(cause as Error).message}`);
    }
    return new NetworkFailure('network_error', error instanceof Error ? error.message : String(error));
  }
}

function networkCode(code: string): NetworkFailureCode | null {
  if (code === 'ECONNREFUSED') return 'connection_refused';
  if (['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'ECONNABORTED'].includes(code)) return 'connection_reset';
  if (['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME', 'ENODATA', 'ESERVFAIL'].includes(code)) return 'dns_failure';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) return 'tls_error';
  if (['EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EADDRNOTAVAIL'].includes(code)) return 'network_error';
  return null;
}

function failed(failure: DeliveryFailure): Omit<SendResult, 'durationMs' | 'requestHeaders'> {
  return {
    outcome: 'failure',
    status: null,
    responseBody: null,
    responseBodyTruncated: false,
    responseHeaders: {},
    error: failure.toAttemptError(),
    retryAfterMs: null,
    statusClass: failure.statusClass,
    failure,
  };
}

/**
 * Reads at most `limit` bytes, decoded as UTF-8 without splitting a character,
 * then stops: a receiver answering with a huge body costs us 16 KiB, not its size.
 */
function readLimited(body: Readable, limit: number): Promise<{ text: string; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const decoder = new StringDecoder('utf8');
    let text = '';
    let taken = 0;
    const onData = (chunk: Buffer): void => {
      const room = limit - taken;
      if (chunk.length > room) {
        text += decoder.write(chunk.subarray(0, room));
        // Only the leftover of a split character is lost; stop reading (the socket is discarded).
        body.off('data', onData).off('end', onEnd).off('error', reject);
        body.on('error', () => undefined);
        body.destroy();
        resolve({ text, truncated: true });
        return;
      }
      text += decoder.write(chunk);
      taken += chunk.length;
    };
    const onEnd = (): void => resolve({ text: text + decoder.end(), truncated: false });
    body.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function redact(headers: Record<string, string>, custom: Readonly<Record<string, string>> | undefined): Record<string, string> {
  if (!custom) return { ...headers };
  const logged = { ...headers };
  for (const name of Object.keys(logged)) {
    if (!name.startsWith('webhook-') && CREDENTIAL_HEADER.test(name)) logged[name] = REDACTED;
  }
  return logged;
}
