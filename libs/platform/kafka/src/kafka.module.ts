import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { HealthService, LOGGER, type Logger } from '@harmony/platform-observability';
import { KafkaConnection } from './kafka-connection';
import { KafkaProducer } from './kafka-producer';
import { PIPELINE_TOPIC_SPECS } from './pipeline-topics';
import { TopicAdmin } from './topic-admin';

/**
 * Readiness and the last step of shutdown. Feature modules stop their
 * consumers in `beforeApplicationShutdown`; only then are the producer and
 * (when embedded) the broker closed here.
 */
class KafkaLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(HealthService) private readonly health: HealthService,
    @Inject(TopicAdmin) private readonly admin: TopicAdmin,
    @Inject(KafkaProducer) private readonly producer: KafkaProducer,
    @Inject(KafkaConnection) private readonly connection: KafkaConnection,
  ) {}

  /** Runs before the service modules start (Nest initialises the deepest modules first). */
  async onModuleInit(): Promise<void> {
    this.health.register({ name: 'kafka', check: () => this.admin.ping() });
    this.connection.onConsumerDead((name, error) => this.health.markDead(`kafka consumer ${name}`, error.message));
    // Every service ensures every pipeline topic, so services can start in any order.
    await this.admin.ensureTopics([...PIPELINE_TOPIC_SPECS]);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.producer.disconnect();
    await this.admin.close();
    await this.connection.close();
  }
}

@Global()
@Module({})
export class KafkaModule {
  static forRoot(): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        {
          provide: KafkaConnection,
          inject: [APP_CONFIG, LOGGER],
          useFactory: (config: AppConfig, logger: Logger) => KafkaConnection.open(config, logger),
        },
        {
          provide: KafkaProducer,
          inject: [KafkaConnection, LOGGER],
          useFactory: (connection: KafkaConnection, logger: Logger) => new KafkaProducer(connection, logger),
        },
        {
          provide: TopicAdmin,
          inject: [KafkaConnection, APP_CONFIG, LOGGER],
          useFactory: (connection: KafkaConnection, config: AppConfig, logger: Logger) =>
            new TopicAdmin(connection, config.kafka.topicDefaults, logger),
        },
        KafkaLifecycle,
      ],
      exports: [KafkaConnection, KafkaProducer, TopicAdmin],
    };
  }
}
