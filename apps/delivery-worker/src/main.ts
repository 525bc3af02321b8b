import { DeliveryWorkerModule } from '@harmony/delivery/feature';
import { runService } from '@harmony/platform-runtime';

void runService({ name: 'delivery-worker', modules: [DeliveryWorkerModule] });
