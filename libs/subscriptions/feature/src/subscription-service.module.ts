import { Module } from '@nestjs/common';
import { DatabaseModule } from '@harmony/platform-database';
import { SUBSCRIPTION_SERVICE_MIGRATIONS } from './migrations';

/** The subscription-service: owns PostgreSQL. Imported by apps/subscription-service and apps/all-in-one. */
@Module({
  imports: [DatabaseModule.forRoot({ entities: [], migrations: SUBSCRIPTION_SERVICE_MIGRATIONS })],
})
export class SubscriptionServiceModule {}
