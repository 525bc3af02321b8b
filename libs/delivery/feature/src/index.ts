export { DeliveryWorkerModule } from './delivery-worker.module';
