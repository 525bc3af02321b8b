export { DELIVERY_CONSUMERS, DELIVERY_GROUP_ID, DELIVERY_READINESS_CHECK } from './deliveries.consumer';
export { DeliveryProcessor } from './delivery.processor';
export { DeliveryWorkerModule } from './delivery-worker.module';
