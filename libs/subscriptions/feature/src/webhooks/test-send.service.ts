import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { buildDeliveryRequestBody, type EventEnvelope, getEventDefinition, SIGNING_SECRET_PATTERN } from '@harmony/contracts';
import { generateSigningSecret } from '@harmony/delivery/domain';
import { WebhookSender } from '@harmony/delivery/http';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { newId } from '@harmony/platform-database';
import { type Actor, checkWebhookUrl, type FieldError } from '@harmony/subscriptions/domain';
import { DataSource } from 'typeorm';
import { assertValid, Conflict, ValidationFailed } from '../common/service-errors';
import { validSecrets } from './subscription-record.builder';
import { WEBHOOK_TARGET_CHECK, type WebhookTargetCheck } from './webhook-target.check';
import { WebhooksService } from './webhooks.service';

/** How much of the receiver's answer the Test button shows. */
export const TEST_RESPONSE_PREVIEW_CHARS = 1_024;

export interface TestResult {
  outcome: 'success' | 'failure';
  status: number | null;
  latencyMs: number;
  /** The start of the response body. */
  responseBody: string | null;
  error: { code: string; message: string } | null;
  eventId: string;
  /** For a URL not saved yet: the throwaway secret the request was signed with, to check the receiver's verification. */
  signingSecret?: string;
}

/**
 * The Test button: the chosen event type's catalog example, signed like a
 * real delivery, sent right now through the same sender (and SSRF guard) as
 * the delivery worker. Not logged and not retried: the answer is the result.
 */
@Injectable()
export class TestSendService implements OnApplicationShutdown {
  private readonly sender: WebhookSender;

  constructor(
    private readonly dataSource: DataSource,
    private readonly webhooks: WebhooksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WEBHOOK_TARGET_CHECK) private readonly targets: WebhookTargetCheck,
  ) {
    this.sender = new WebhookSender({
      allowHttp: config.webhooks.allowHttp,
      allowPrivateCidrs: config.webhooks.allowPrivateCidrs,
      timeoutMs: config.webhooks.timeoutMs,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
  }

  async testSaved(actor: Actor, id: string, body: Record<string, unknown>): Promise<TestResult> {
    const eventType = this.eventType(body, new Set(['eventType']));
    const subscription = await this.webhooks.get(actor, id);
    const secrets = await validSecrets(this.dataSource.manager, id);
    if (secrets.length === 0) throw new Conflict('the webhook has no valid signing secret');
    return this.send(actor, subscription.url, eventType, secrets.map((secret) => secret.secret), subscription.headers);
  }

  async testUrl(actor: Actor, body: Record<string, unknown>): Promise<TestResult> {
    const errors: FieldError[] = [];
    let eventType: string | null = null;
    try {
      eventType = this.eventType(body, new Set(['eventType', 'url', 'secret']));
    } catch (error) {
      if (!(error instanceof ValidationFailed)) throw error;
      errors.push(...error.errors);
    }
    errors.push(...checkWebhookUrl(body['url'], { allowHttp: this.config.webhooks.allowHttp }));
    const secret = body['secret'];
    if (secret !== undefined && (typeof secret !== 'string' || !new RegExp(SIGNING_SECRET_PATTERN).test(secret))) {
      errors.push({ field: 'secret', reason: 'must be a whsec_ secret (whsec_ + base64 of at least 24 bytes)' });
    }
    assertValid(errors);
    const verdict = await this.targets.check(body['url'] as string);
    if (!verdict.ok) throw new ValidationFailed([{ field: 'url', reason: verdict.reason }]);
    const signingSecret = (secret as string | undefined) ?? generateSigningSecret();
    return { ...(await this.send(actor, body['url'] as string, eventType as string, [signingSecret], {})), signingSecret };
  }

  private eventType(body: Record<string, unknown>, allowed: Set<string>): string {
    const errors: FieldError[] = Object.keys(body)
      .filter((field) => !allowed.has(field))
      .map((field) => ({ field, reason: 'is not a known field' }));
    const type = body['eventType'];
    if (typeof type !== 'string' || type === '') errors.push({ field: 'eventType', reason: 'is required' });
    else if (!getEventDefinition(type)) errors.push({ field: 'eventType', reason: `unknown event type '${type}'` });
    assertValid(errors);
    return type as string;
  }

  private async send(actor: Actor, url: string, eventType: string, secrets: string[], headers: Record<string, string>): Promise<TestResult> {
    const definition = getEventDefinition(eventType);
    if (!definition) throw new ValidationFailed([{ field: 'eventType', reason: `unknown event type '${eventType}'` }]);
    const envelope: EventEnvelope = {
      id: newId('evt'),
      type: eventType,
      workspaceId: actor.workspaceId,
      occurredAt: new Date().toISOString(),
      data: definition.example,
      access: { scope: 'workspace' },
    };
    const result = await this.sender.send({
      url,
      eventId: envelope.id,
      body: JSON.stringify(buildDeliveryRequestBody(envelope)),
      secrets,
      headers,
    });
    return {
      outcome: result.outcome,
      status: result.status,
      latencyMs: Math.round(result.durationMs),
      responseBody: result.responseBody === null ? null : result.responseBody.slice(0, TEST_RESPONSE_PREVIEW_CHARS),
      error: result.error,
      eventId: envelope.id,
    };
  }
}
