import type {
  CreatedWebhook,
  DeliveryFilter,
  DeliveryPage,
  EndpointHealth,
  EventCategory,
  FieldError,
  RecoverResult,
  Redelivered,
  Secret,
  Secrets,
  TestResult,
  UpdateWebhookInput,
  Webhook,
  WebhookFilter,
  WebhookInput,
  WebhookPage,
} from './api.types';

/** A failed API call: the HTTP status, the API's message and, for 400, the failing fields. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: FieldError[] = [],
  ) {
    super(message);
  }
}

/** Thin client of the REST API: every call carries the API key as a Bearer token. */
export class ApiClient {
  constructor(
    private readonly apiKey: string,
    private readonly onUnauthorized: () => void = () => undefined,
  ) {}

  /** One page of webhooks (oldest first), filtered. */
  listWebhooks(filter: WebhookFilter = {}): Promise<WebhookPage> {
    return this.call('GET', `/v1/webhooks${queryString(filter)}`);
  }

  getWebhook(id: string): Promise<Webhook> {
    return this.call('GET', `/v1/webhooks/${encodeURIComponent(id)}`);
  }

  createWebhook(input: WebhookInput): Promise<CreatedWebhook> {
    return this.call('POST', '/v1/webhooks', input);
  }

  updateWebhook(id: string, changes: UpdateWebhookInput): Promise<Webhook> {
    return this.call('PATCH', `/v1/webhooks/${encodeURIComponent(id)}`, changes);
  }

  deleteWebhook(id: string): Promise<void> {
    return this.call('DELETE', `/v1/webhooks/${encodeURIComponent(id)}`);
  }

  enableWebhook(id: string): Promise<Webhook> {
    return this.call('POST', `/v1/webhooks/${encodeURIComponent(id)}/enable`);
  }

  recover(id: string, since: string): Promise<RecoverResult> {
    return this.call('POST', `/v1/webhooks/${encodeURIComponent(id)}/recover`, { since });
  }

  secrets(id: string): Promise<Secret[]> {
    return this.call<Secrets>('GET', `/v1/webhooks/${encodeURIComponent(id)}/secrets`).then((answer) => answer.secrets);
  }

  rotateSecret(id: string): Promise<Secret[]> {
    return this.call<Secrets>('POST', `/v1/webhooks/${encodeURIComponent(id)}/rotate-secret`).then((answer) => answer.secrets);
  }

  eventCategories(): Promise<EventCategory[]> {
    return this.call<{ categories: EventCategory[] }>('GET', '/v1/event-types').then((answer) => answer.categories);
  }

  deliveries(id: string, filter: DeliveryFilter): Promise<DeliveryPage> {
    return this.call('GET', `/v1/webhooks/${encodeURIComponent(id)}/deliveries${queryString(filter)}`);
  }

  webhookHealth(id: string): Promise<EndpointHealth> {
    return this.call('GET', `/v1/webhooks/${encodeURIComponent(id)}/health`);
  }

  /** Every attempt of one event, to every webhook of the workspace the key may see. */
  eventDeliveries(eventId: string, page: { cursor?: string; limit?: number } = {}): Promise<DeliveryPage> {
    return this.call('GET', `/v1/events/${encodeURIComponent(eventId)}/deliveries${queryString(page)}`);
  }

  redeliver(id: string, deliveryId: string): Promise<Redelivered> {
    return this.call('POST', `/v1/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`);
  }

  /** Sends the event type's example, signed, to a URL that is not saved yet. */
  testUrl(url: string, eventType: string): Promise<TestResult> {
    return this.call('POST', '/v1/webhooks/test', { url, eventType });
  }

  /** Sends the event type's example to a saved webhook (its secret and headers). */
  testWebhook(id: string, eventType: string): Promise<TestResult> {
    return this.call('POST', `/v1/webhooks/${encodeURIComponent(id)}/test`, { eventType });
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: { authorization: `Bearer ${this.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'The service did not answer. Is it running?');
    }
    if (response.status === 204) return undefined as T;
    const answer = (await response.json().catch(() => null)) as Record<string, unknown> | null;
    if (response.ok) return answer as T;
    if (response.status === 401) this.onUnauthorized();
    const fieldErrors = Array.isArray(answer?.['errors']) ? (answer['errors'] as FieldError[]) : [];
    const message =
      typeof answer?.['message'] === 'string'
        ? answer['message']
        : fieldErrors.length > 0
          ? fieldErrors.map((error) => `${error.field} ${error.reason}`).join('; ')
          : `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, fieldErrors);
  }
}

/** `?name=value&…` of the parameters that are set; '' when none is. */
function queryString(parameters: object): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  return query.size > 0 ? `?${query.toString()}` : '';
}
