import { type DynamicModule, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { type AppConfig, ConfigModule } from '@harmony/platform-config';
import { KafkaModule } from '@harmony/platform-kafka';
import { type Logger, ObservabilityModule } from '@harmony/platform-observability';
import { JsonBodyInterceptor } from './json-body.interceptor';

/**
 * What every service process has once: typed config, logs/metrics/health, the Kafka
 * client, and request bodies read after authentication (apps run with `bodyParser: false`).
 */
@Module({})
export class PlatformModule {
  static forRoot(options: { service: string; config: AppConfig; logger: Logger }): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(options.config),
        ObservabilityModule.forRoot({ service: options.service, logger: options.logger }),
        KafkaModule.forRoot(),
      ],
      providers: [{ provide: APP_INTERCEPTOR, useClass: JsonBodyInterceptor }],
    };
  }
}
