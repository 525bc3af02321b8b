import { type DynamicModule, Module } from '@nestjs/common';
import { type AppConfig, ConfigModule } from '@harmony/platform-config';
import { KafkaModule } from '@harmony/platform-kafka';
import { type Logger, ObservabilityModule } from '@harmony/platform-observability';

/** What every service process has once: typed config, logs/metrics/health, the Kafka client. */
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
    };
  }
}
