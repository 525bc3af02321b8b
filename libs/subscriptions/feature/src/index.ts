export { SubscriptionServiceModule } from './subscription-service.module';
export { TenancyRepository } from './tenancy/tenancy.repository';
export { TenancyService } from './tenancy/tenancy.service';
export { OutboxRelay } from './outbox/outbox.relay';
export { OutboxRepository } from './outbox/outbox.repository';
export { RetentionJob } from './maintenance/retention.job';
export { CLI_USAGE, runSubscriptionCli } from './cli/subscription-cli';
export { SUBSCRIPTION_SERVICE_ENTITIES } from './entities';
export { SUBSCRIPTION_SERVICE_MIGRATIONS } from './migrations';
