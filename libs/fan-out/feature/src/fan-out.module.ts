import { Module } from '@nestjs/common';

/** The fan-out service: imported by apps/fan-out and by apps/all-in-one. Its consumers arrive with the pipeline issue. */
@Module({})
export class FanOutModule {}
