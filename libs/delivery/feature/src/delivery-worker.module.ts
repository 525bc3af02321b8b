import { Module } from '@nestjs/common';

/** The delivery-worker service: imported by apps/delivery-worker and by apps/all-in-one. Its consumers arrive with the pipeline issue. */
@Module({})
export class DeliveryWorkerModule {}
