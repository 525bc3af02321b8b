import { type DynamicModule, Module, type OnModuleInit } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, type AppConfig } from '@harmony/platform-config';
import { HealthService } from '@harmony/platform-observability';
import { DataSource } from 'typeorm';
import { createDataSourceOptions, type DatabaseOptions, migrate } from './data-source.factory';
import { DatabaseNotifications } from './database-notifications';

class DatabaseReadiness implements OnModuleInit {
  constructor(
    private readonly health: HealthService,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.health.register({ name: 'database', check: async () => void (await this.dataSource.query('SELECT 1')) });
  }
}

@Module({})
export class DatabaseModule {
  /** TypeORM on PostgreSQL (DATABASE_URL) or PGlite (under DATA_DIR), migrations applied at start. */
  static forRoot(schema: Pick<DatabaseOptions, 'entities' | 'migrations'>): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) =>
            createDataSourceOptions({ ...schema, url: config.database.url, pgliteDir: config.database.pgliteDir }),
          dataSourceFactory: async (options) => {
            if (!options) throw new Error('no DataSource options');
            const dataSource = await new DataSource(options).initialize();
            await migrate(dataSource);
            return dataSource;
          },
        }),
      ],
      providers: [
        { provide: DatabaseReadiness, inject: [HealthService, DataSource], useFactory: (h: HealthService, d: DataSource) => new DatabaseReadiness(h, d) },
        { provide: DatabaseNotifications, inject: [DataSource], useFactory: (d: DataSource) => new DatabaseNotifications(d) },
      ],
      exports: [TypeOrmModule, DatabaseNotifications],
    };
  }
}
