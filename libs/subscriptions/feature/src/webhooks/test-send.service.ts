import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { buildDeliveryRequestBody, type EventEnvelope, getEventDefinition, newId, TEST_URL, TEST_WEBHOOK, type TestResult } from '@harmony/contracts';
import { boundResponseHeaders, generateSigningSecret } from '@harmony/webhooks/domain';
import { type SendResult, WebhookSender } from '@harmony/delivery/http';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import type { Actor } from '@harmony/subscriptions/domain';
import { parseBody } from '../api/request-body';
import { requestedByOf } from '../common/requested-by';
import { Conflict, ValidationFailed } from '../common/service-errors';
import { AttemptRecordingRepository } from '../attempts/attempt-recording.repository';
import { DeliveryAttemptEntity } from '../entities';
import { checkedWebhookUrl, WEBHOOK_TARGET_CHECK, type WebhookTargetCheck } from './webhook-target.check';
import { WebhookRepository } from './webhook.repository';
import { WebhooksService } from './webhooks.service';

/** How much of the receiver's answer the Test button shows. */
export const TEST_RESPONSE_PREVIEW_CHARS = 1_024;

/**
 * The Test button: the chosen event type's catalog example, signed like a
 * real delivery, sent right now through the same sender (and SSRF guard) as
 * the delivery worker. Not retried: the answer is the result. A saved webhook's
 * test is also logged, marked `test`.
 */
@Injectable()
export class TestSendService implements OnApplicationShutdown {
  private readonly sender: WebhookSender;
  /** The URL test's body with the URL policy (DNS included) on `url`. */
  private readonly testUrlBody;

  constructor(
    private readonly webhooks: WebhooksService,
    private readonly webhookRows: WebhookRepository,
    private readonly attempts: AttemptRecordingRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(WEBHOOK_TARGET_CHECK) private readonly targets: WebhookTargetCheck,
  ) {
    this.testUrlBody = TEST_URL.extend({ url: checkedWebhookUrl(targets) });
    this.sender = new WebhookSender({
      allowHttp: config.webhooks.allowHttp,
      allowPrivateCidrs: config.webhooks.allowPrivateCidrs,
      timeoutMs: config.webhooks.timeoutMs,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
  }

  async testSaved(actor: Actor, id: string, body: unknown): Promise<TestResult> {
    const { eventType } = await parseBody(TEST_WEBHOOK, body);
    const subscription = await this.webhooks.get(actor, id);
    const secrets = await this.webhookRows.validSecrets(null, id);
    if (secrets.length === 0) throw new Conflict('the webhook has no valid signing secret');
    const sent = await this.send(actor, subscription.url, eventType, secrets.map((secret) => secret.secret), subscription.headers);
    await this.log(actor, subscription.id, sent);
    return sent.result;
  }

  /**
   * A saved webhook's test goes into its delivery log, marked `test` with who asked,
   * and its example payload is kept like an event's so the log shows the body. It does
   * not move endpoint health, and recover never re-sends it.
   */
  private async log(actor: Actor, subscriptionId: string, sent: { envelope: EventEnvelope; send: SendResult; url: string; startedAt: Date }): Promise<void> {
    const { envelope, send } = sent;
    await this.attempts.recordTest(
      envelope,
      Object.assign(new DeliveryAttemptEntity(), {
        id: newId('attempt'),
        workspaceId: actor.workspaceId,
        subscriptionId,
        jobId: newId('job'),
        eventId: envelope.id,
        eventType: envelope.type,
        attempt: 1,
        outcome: send.outcome,
        url: sent.url,
        httpStatus: send.status,
        durationMs: Math.round(send.durationMs),
        responseHeaders: send.status === null ? null : boundResponseHeaders(send.responseHeaders),
        trigger: 'test',
        requestedBy: requestedByOf(actor),
        responseBody: send.responseBody,
        responseBodyTruncated: send.responseBodyTruncated,
        errorCode: send.error?.code ?? null,
        errorMessage: send.error?.message ?? null,
        requestHeaders: send.requestHeaders,
        startedAt: sent.startedAt,
        finishedAt: new Date(sent.startedAt.getTime() + send.durationMs),
        nextAttemptAt: null,
      }),
    );
  }

  async testUrl(actor: Actor, body: unknown): Promise<TestResult> {
    const input = await parseBody(this.testUrlBody, body);
    const signingSecret = input.secret ?? generateSigningSecret();
    return { ...(await this.send(actor, input.url, input.eventType, [signingSecret], {})).result, signingSecret };
  }

  private async send(
    actor: Actor,
    url: string,
    eventType: string,
    secrets: string[],
    headers: Record<string, string>,
  ): Promise<{ result: TestResult; envelope: EventEnvelope; send: SendResult; url: string; startedAt: Date }> {
    const definition = getEventDefinition(eventType);
    if (!definition) throw new ValidationFailed([{ field: 'eventType', reason: `unknown event type '${eventType}'` }]);
    const envelope: EventEnvelope = {
      id: newId('event'),
      type: eventType,
      workspaceId: actor.workspaceId,
      occurredAt: new Date().toISOString(),
      data: definition.example,
      access: { scope: 'workspace' },
    };
    const startedAt = new Date();
    const result = await this.sender.send({
      url,
      eventId: envelope.id,
      body: JSON.stringify(buildDeliveryRequestBody(envelope)),
      secrets,
      headers,
    });
    return {
      result: {
        outcome: result.outcome,
        status: result.status,
        latencyMs: Math.round(result.durationMs),
        responseBody: result.responseBody === null ? null : result.responseBody.slice(0, TEST_RESPONSE_PREVIEW_CHARS),
        error: result.error,
        eventId: envelope.id,
      },
      envelope,
      send: result,
      url,
      startedAt,
    };
  }
}
