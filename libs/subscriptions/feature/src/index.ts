export { SubscriptionServiceModule } from './subscription-service.module';
