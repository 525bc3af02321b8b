export { DELIVERY_GROUP_ID, DeliveriesConsumer } from './deliveries.consumer';
export { DeliveryProcessor, SUBSCRIPTION_LOOKUP, type SubscriptionLookup } from './delivery.processor';
export { DeliveryWorkerModule } from './delivery-worker.module';
