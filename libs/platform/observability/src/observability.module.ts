import { type DynamicModule, Global, Module } from '@nestjs/common';
import { HealthService } from './health.service';
import type { Logger } from './logger';
import { MetricsService } from './metrics.service';
import { ObservabilityController } from './observability.controller';

export const LOGGER = Symbol('LOGGER');

@Global()
@Module({})
export class ObservabilityModule {
  static forRoot(options: { service: string; logger: Logger }): DynamicModule {
    return {
      module: ObservabilityModule,
      controllers: [ObservabilityController],
      providers: [
        HealthService,
        { provide: MetricsService, useValue: new MetricsService(options.service) },
        { provide: LOGGER, useValue: options.logger },
      ],
      exports: [HealthService, MetricsService, LOGGER],
    };
  }
}
