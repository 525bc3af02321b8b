import type { LedgerReceiver } from './ledger-receiver';
import type { UpstreamPublisher } from './upstream-publisher';
import { sleep } from '@harmony/testing';

/** The REST API of subscription-service (or the all-in-one app) with the first-run admin key. */
export class HarmonyApi {
  constructor(
    private readonly baseUrl: () => string,
    private readonly apiKey: string,
  ) {}

  /** The admin key and workspace the first start logged once. */
  static firstRun(output: readonly string[]): { apiKey: string; workspaceId: string } {
    const key = output.map((line) => /"firstRunKey":"([^"]+)"/.exec(line)).find(Boolean);
    const workspace = output.map((line) => /"workspaceId":"(ws_[^"]+)"/.exec(line)).find(Boolean);
    if (!key || !workspace) throw new Error(`no first-run key in the output:\n${output.slice(-40).join('\n')}`);
    return { apiKey: key[1], workspaceId: workspace[1] };
  }

  async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const response = await fetch(`${this.baseUrl()}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.apiKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  /** Event ids with at least one row in a webhook's delivery log (all pages, any outcome). */
  async loggedEventIds(webhookId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: { status: number; body: { data: { eventId: string }[]; nextCursor: string | null } } = await this.call('GET', `/v1/webhooks/${webhookId}/deliveries?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (page.status !== 200) throw new Error(`the delivery log of ${webhookId} answered ${page.status}`);
      for (const row of page.body.data) ids.add(row.eventId);
      cursor = page.body.nextCursor;
    }
    return ids;
  }

  /**
   * How many (webhook, event) pairs of `ids` the receiver answered 2xx have no
   * row in the delivery log. Rows are written from webhooks.attempts a moment
   * after the request (later while subscription-service restarts), so this
   * waits up to `timeoutMs` for the count to reach 0.
   */
  async unloggedDeliveries(
    receiver: LedgerReceiver,
    webhooks: readonly { id: string; path: string }[],
    ids: readonly string[],
    timeoutMs = 60_000,
  ): Promise<{ delivered: number; unlogged: number }> {
    for (const deadline = Date.now() + timeoutMs; ; ) {
      let delivered = 0;
      let unlogged = 0;
      for (const webhook of webhooks) {
        const logged = await this.loggedEventIds(webhook.id);
        const received = receiver.deliveredIds(webhook.path);
        for (const id of ids) {
          if (!received.has(id)) continue;
          delivered += 1;
          if (!logged.has(id)) unlogged += 1;
        }
      }
      if (unlogged === 0 || Date.now() > deadline) return { delivered, unlogged };
      await sleep(1_000);
    }
  }

  /**
   * Creates one webhook per path (subscribed to contact.created) pointing at
   * the receiver, which verifies with the secret each one answered. Then, as a
   * user would, publishes probe events until every webhook received one: the
   * change reaches fan-out through the compacted topic a moment after the API
   * answered. Resolves with the webhooks and the probe event ids.
   */
  async createLiveWebhooks(
    receiver: LedgerReceiver,
    publisher: UpstreamPublisher,
    paths: readonly string[],
    timeoutMs = 60_000,
  ): Promise<{ webhooks: { id: string; path: string }[]; probes: string[] }> {
    const webhooks: { id: string; path: string }[] = [];
    for (const path of paths) {
      const created = await this.call<{ id: string; secret: { secret: string } }>('POST', '/v1/webhooks', {
        name: `crash ledger ${path}`,
        url: `${receiver.url}${path}`,
        events: ['contact.created'],
      });
      if (created.status !== 201) throw new Error(`creating the webhook for ${path} answered ${created.status}: ${JSON.stringify(created.body)}`);
      receiver.expect(path, created.body.secret.secret);
      webhooks.push({ id: created.body.id, path });
    }
    const probes: string[] = [];
    const deadline = Date.now() + timeoutMs;
    while (!paths.every((path) => probes.some((id) => receiver.deliveredIds(path).has(id)))) {
      if (Date.now() > deadline) throw new Error(`no probe event reached every webhook within ${timeoutMs} ms`);
      probes.push(await publisher.publishOne());
      await sleep(1_000);
    }
    return { webhooks, probes };
  }
}
