export { DELIVERY_GROUP_ID, DELIVERY_READINESS_CHECK, DeliveriesConsumer } from './deliveries.consumer';
export { DeliveryProcessor, SUBSCRIPTION_LOOKUP, type SubscriptionLookup } from './delivery.processor';
export { DeliveryWorkerModule } from './delivery-worker.module';
