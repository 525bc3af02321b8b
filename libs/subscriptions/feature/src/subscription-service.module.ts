import { Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { DatabaseModule } from '@harmony/platform-database';
import { ApiKeyGuard } from './api/api-key.guard';
import { ApiKeysController } from './api/api-keys.controller';
import { EventDeliveriesController } from './api/event-deliveries.controller';
import { EventTypesController } from './api/event-types.controller';
import { MembersController } from './api/members.controller';
import { OpenApiSetup } from './api/openapi.setup';
import { ServiceErrorFilter } from './api/service-error.filter';
import { WebhooksController } from './api/webhooks.controller';
import { AttemptRecordingRepository } from './attempts/attempt-recording.repository';
import { AttemptRecordingService } from './attempts/attempt-recording.service';
import { Transactions } from './common/transactions';
import { SUBSCRIPTION_SERVICE_CONSUMERS } from './consumers/subscription-service.consumers';
import { DeliveryLogRepository } from './delivery-log/delivery-log.repository';
import { DeliveryLogService } from './delivery-log/delivery-log.service';
import { SUBSCRIPTION_SERVICE_ENTITIES } from './entities';
import { LiveChangesHub } from './live/live-changes.hub';
import { LiveController } from './live/live.controller';
import { GrpcServer } from './grpc/grpc-server';
import { EndpointHealthController } from './health/endpoint-health.controller';
import { EndpointHealthRepository } from './health/endpoint-health.repository';
import { EndpointHealthService } from './health/endpoint-health.service';
import { FirstRunService } from './maintenance/first-run.service';
import { RetentionJob } from './maintenance/retention.job';
import { RetentionRepository } from './maintenance/retention.repository';
import { MemberSyncService } from './members/member-sync.service';
import { SUBSCRIPTION_SERVICE_MIGRATIONS } from './migrations';
import { OperationalNoticesService } from './operational/operational-notices.service';
import { OperationalRepository } from './operational/operational.repository';
import { OutboxRelay } from './outbox/outbox.relay';
import { OutboxRepository } from './outbox/outbox.repository';
import { WebPageStatic } from './page/web-page.static';
import { EventPayloadRepository } from './payloads/event-payload.repository';
import { EventPayloadsService } from './payloads/event-payloads.service';
import { RedeliveryRepository } from './recovery/redelivery.repository';
import { RedeliveryService } from './recovery/redelivery.service';
import { TenancyRepository } from './tenancy/tenancy.repository';
import { TenancyService } from './tenancy/tenancy.service';
import { TestSendService } from './webhooks/test-send.service';
import { ssrfTargetCheck, WEBHOOK_TARGET_CHECK } from './webhooks/webhook-target.check';
import { WebhookRepository } from './webhooks/webhook.repository';
import { WebhooksService } from './webhooks/webhooks.service';

/** The subscription-service: owns PostgreSQL. Imported by apps/subscription-service and apps/all-in-one. */
@Module({
  imports: [DatabaseModule.forRoot({ entities: SUBSCRIPTION_SERVICE_ENTITIES, migrations: SUBSCRIPTION_SERVICE_MIGRATIONS })],
  controllers: [EventTypesController, EventDeliveriesController, WebhooksController, EndpointHealthController, ApiKeysController, MembersController, LiveController],
  providers: [
    TenancyService,
    TenancyRepository,
    WebhooksService,
    WebhookRepository,
    TestSendService,
    { provide: WEBHOOK_TARGET_CHECK, inject: [APP_CONFIG], useFactory: (config: AppConfig) => ssrfTargetCheck(config) },
    DeliveryLogService,
    DeliveryLogRepository,
    AttemptRecordingService,
    AttemptRecordingRepository,
    RedeliveryService,
    RedeliveryRepository,
    EventPayloadsService,
    EventPayloadRepository,
    Transactions,
    EndpointHealthRepository,
    EndpointHealthService,
    MemberSyncService,
    OperationalRepository,
    OperationalNoticesService,
    OutboxRelay,
    OutboxRepository,
    SUBSCRIPTION_SERVICE_CONSUMERS,
    FirstRunService,
    RetentionJob,
    RetentionRepository,
    ApiKeyGuard,
    OpenApiSetup,
    GrpcServer,
    WebPageStatic,
    LiveChangesHub,
    { provide: APP_FILTER, useClass: ServiceErrorFilter },
  ],
  exports: [TenancyService, WebhooksService, DeliveryLogService, MemberSyncService, OutboxRelay, RetentionJob],
})
export class SubscriptionServiceModule {}
