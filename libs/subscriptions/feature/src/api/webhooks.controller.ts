import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import {
  API_ERROR,
  apiShapeRef,
  ATTEMPT_OUTCOMES,
  CREATE_WEBHOOK,
  CREATED_WEBHOOK,
  type CreatedWebhook,
  DELIVERY,
  DELIVERY_PAGE,
  type Delivery,
  type DeliveryPage,
  RECOVER,
  RECOVER_RESULT,
  type RecoverResult,
  REDELIVERED,
  type Redelivered,
  SECRETS,
  type Secrets,
  TEST_RESULT,
  TEST_URL,
  TEST_WEBHOOK,
  type TestResult,
  UPDATE_WEBHOOK,
  VALIDATION_ERROR,
  WEBHOOK,
  WEBHOOK_PAGE,
  type Webhook,
  type WebhookPage,
} from '@harmony/contracts';
import type { Actor } from '@harmony/subscriptions/domain';
import { DeliveryLogService } from '../delivery-log/delivery-log.service';
import { EndpointHealthService } from '../health/endpoint-health.service';
import { RedeliveryService } from '../recovery/redelivery.service';
import { TestSendService } from '../webhooks/test-send.service';
import { WebhooksService } from '../webhooks/webhooks.service';
import { ApiKeyGuard, CurrentActor, RequireScope } from './api-key.guard';
import { deliveryFilters } from './delivery-log.query';
import { parseBody } from './request-body';
import { webhookFilters } from './webhook-list.query';

@ApiTags('webhooks')
@ApiBearerAuth()
@ApiUnauthorizedResponse({ schema: apiShapeRef(API_ERROR), description: 'Missing or invalid API key.' })
@ApiForbiddenResponse({ schema: apiShapeRef(API_ERROR), description: 'Missing scope, or not the owner of the webhook nor an admin.' })
@Controller('v1/webhooks')
@UseGuards(ApiKeyGuard)
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly deliveries: DeliveryLogService,
    private readonly redelivery: RedeliveryService,
    private readonly tests: TestSendService,
    private readonly health: EndpointHealthService,
  ) {}

  @Post('test')
  @HttpCode(200)
  @RequireScope('webhooks:write')
  @ApiOperation({
    summary: 'Test button for a URL not saved yet: sends the event type example, signed with a throwaway secret (or `secret`), now.',
  })
  @ApiBody({ schema: apiShapeRef(TEST_URL) })
  @ApiOkResponse({ schema: apiShapeRef(TEST_RESULT), description: 'The receiver answered (any status) or could not be reached: see outcome/error.' })
  @ApiBadRequestResponse({ schema: apiShapeRef(VALIDATION_ERROR) })
  testUrl(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<TestResult> {
    return this.tests.testUrl(actor, body);
  }

  @Post(':id/test')
  @HttpCode(200)
  @RequireScope('webhooks:write')
  @ApiOperation({ summary: "Test button: sends the event type's example to the webhook, signed with its secrets, now." })
  @ApiBody({ schema: apiShapeRef(TEST_WEBHOOK) })
  @ApiOkResponse({ schema: apiShapeRef(TEST_RESULT) })
  testSaved(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown): Promise<TestResult> {
    return this.tests.testSaved(actor, id, body);
  }

  @Post()
  @RequireScope('webhooks:write')
  @ApiOperation({ summary: 'Create a webhook; the answer holds its signing secret.' })
  @ApiBody({ schema: apiShapeRef(CREATE_WEBHOOK) })
  @ApiCreatedResponse({ schema: apiShapeRef(CREATED_WEBHOOK) })
  @ApiBadRequestResponse({ schema: apiShapeRef(VALIDATION_ERROR) })
  async create(@CurrentActor() actor: Actor, @Body() body: unknown): Promise<CreatedWebhook> {
    const { subscription, secret } = await this.webhooks.create(actor, body);
    return { ...(await this.webhooks.view(subscription)), secret };
  }

  @Get()
  @RequireScope('webhooks:read')
  @ApiOperation({
    summary: "List webhooks, oldest first, one keyset page at a time: an admin's key sees the workspace's, a member's key its own.",
  })
  @ApiQuery({ name: 'search', required: false, description: 'Case-insensitive substring of the name or the URL.' })
  @ApiQuery({ name: 'enabled', required: false, enum: ['true', 'false'] })
  @ApiQuery({ name: 'eventType', required: false, description: "Only webhooks that receive this event type (listed, or '*')." })
  @ApiQuery({ name: 'operational', required: false, enum: ['true', 'false'], description: "Only the workspace's operational endpoint (true), or only the other webhooks (false)." })
  @ApiQuery({ name: 'cursor', required: false, description: '`nextCursor` of the previous page.' })
  @ApiQuery({ name: 'limit', required: false, description: '1–200, default 50.' })
  @ApiOkResponse({ schema: apiShapeRef(WEBHOOK_PAGE) })
  @ApiBadRequestResponse({ schema: apiShapeRef(VALIDATION_ERROR) })
  async list(@CurrentActor() actor: Actor, @Query() query: Record<string, unknown>): Promise<WebhookPage> {
    const page = await this.webhooks.list(actor, webhookFilters(query));
    const ids = page.data.map((webhook) => webhook.id);
    const [last, health, views] = await Promise.all([this.deliveries.lastDeliveries(ids), this.health.summaries(actor, ids), this.webhooks.views(page.data)]);
    return { data: views.map((view) => ({ ...view, lastDelivery: last.get(view.id) ?? null, endpointHealth: health.get(view.id) })), nextCursor: page.nextCursor };
  }

  @Get(':id')
  @RequireScope('webhooks:read')
  @ApiOkResponse({ schema: apiShapeRef(WEBHOOK) })
  @ApiNotFoundResponse({ schema: apiShapeRef(API_ERROR) })
  async get(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<Webhook> {
    return this.webhooks.view(await this.webhooks.get(actor, id));
  }

  @Patch(':id')
  @RequireScope('webhooks:write')
  @ApiOperation({ summary: 'Change name, description, URL, events, enabled (and, for admins, the owner).' })
  @ApiBody({ schema: apiShapeRef(UPDATE_WEBHOOK) })
  @ApiOkResponse({ schema: apiShapeRef(WEBHOOK) })
  @ApiBadRequestResponse({ schema: apiShapeRef(VALIDATION_ERROR) })
  @ApiNotFoundResponse({ schema: apiShapeRef(API_ERROR) })
  async update(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown): Promise<Webhook> {
    return this.webhooks.view(await this.webhooks.update(actor, id, body));
  }

  @Delete(':id')
  @HttpCode(204)
  @RequireScope('webhooks:write')
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ schema: apiShapeRef(API_ERROR) })
  async remove(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<void> {
    await this.webhooks.remove(actor, id);
  }

  @Post(':id/enable')
  @HttpCode(200)
  @RequireScope('webhooks:write')
  @ApiOperation({ summary: 'Re-enable a disabled webhook (by a user, after 5 days of failures, or 410 Gone).' })
  @ApiOkResponse({ schema: apiShapeRef(WEBHOOK) })
  async enable(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<Webhook> {
    return this.webhooks.view(await this.webhooks.enable(actor, id));
  }

  @Get(':id/secrets')
  @RequireScope('webhooks:write')
  @ApiOperation({ summary: 'The secrets that sign requests now (current first).' })
  @ApiOkResponse({ schema: apiShapeRef(SECRETS) })
  async secrets(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<Secrets> {
    return { secrets: await this.webhooks.secrets(actor, id) };
  }

  @Post(':id/rotate-secret')
  @HttpCode(200)
  @RequireScope('webhooks:write')
  @ApiOperation({ summary: 'New signing secret; the previous one keeps signing (both signatures sent) for 24 h.' })
  @ApiOkResponse({ schema: apiShapeRef(SECRETS) })
  async rotate(@CurrentActor() actor: Actor, @Param('id') id: string): Promise<Secrets> {
    return { secrets: await this.webhooks.rotateSecret(actor, id) };
  }

  @Get(':id/deliveries')
  @RequireScope('webhooks:read')
  @ApiOperation({ summary: 'The delivery log of a webhook, newest first, one entry per attempt.' })
  @ApiQuery({ name: 'eventId', required: false, description: 'Only the attempts of this event.' })
  @ApiQuery({ name: 'outcome', required: false, enum: ATTEMPT_OUTCOMES })
  @ApiQuery({ name: 'eventType', required: false })
  @ApiQuery({ name: 'from', required: false, description: 'ISO 8601, inclusive (finishedAt).' })
  @ApiQuery({ name: 'to', required: false, description: 'ISO 8601, exclusive.' })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false, description: '1–200, default 50.' })
  @ApiOkResponse({ schema: apiShapeRef(DELIVERY_PAGE) })
  @ApiBadRequestResponse({ schema: apiShapeRef(VALIDATION_ERROR) })
  list_deliveries(
    @CurrentActor() actor: Actor,
    @Param('id') id: string,
    @Query() query: Record<string, unknown>,
  ): Promise<DeliveryPage> {
    return this.deliveries.list(actor, id, deliveryFilters(query));
  }

  @Get(':id/deliveries/:attemptId')
  @RequireScope('webhooks:read')
  @ApiOperation({
    summary: 'One attempt: request headers and body as sent (the body withheld if the caller may not see the event now), response status, headers and body.',
  })
  @ApiOkResponse({ schema: apiShapeRef(DELIVERY) })
  @ApiNotFoundResponse({ schema: apiShapeRef(API_ERROR) })
  delivery(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('attemptId') attemptId: string): Promise<Delivery> {
    return this.deliveries.get(actor, id, attemptId);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @RequireScope('webhooks:write')
  @ApiOperation({
    summary: "Send a logged delivery's event again (same event id, original payload), if the webhook's owner may still see it (403 otherwise).",
  })
  @ApiAcceptedResponse({ schema: apiShapeRef(REDELIVERED) })
  @ApiConflictResponse({ schema: apiShapeRef(API_ERROR), description: 'Webhook disabled, or payload past retention.' })
  redeliver(@CurrentActor() actor: Actor, @Param('id') id: string, @Param('deliveryId') deliveryId: string): Promise<Redelivered> {
    return this.redelivery.redeliver(actor, id, deliveryId);
  }

  @Post(':id/recover')
  @HttpCode(202)
  @RequireScope('webhooks:write')
  @ApiOperation({ summary: "Re-queue every event whose delivery to this webhook failed since a time (those its owner may still see)." })
  @ApiBody({ schema: apiShapeRef(RECOVER) })
  @ApiAcceptedResponse({ schema: apiShapeRef(RECOVER_RESULT) })
  @ApiBadRequestResponse({ schema: apiShapeRef(VALIDATION_ERROR) })
  @ApiConflictResponse({ schema: apiShapeRef(API_ERROR), description: 'Webhook disabled.' })
  async recover(@CurrentActor() actor: Actor, @Param('id') id: string, @Body() body: unknown): Promise<RecoverResult> {
    const { since } = await parseBody(RECOVER, body);
    return this.redelivery.recover(actor, id, new Date(since));
  }
}
