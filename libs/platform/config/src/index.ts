export { APP_CONFIG, type AppConfig } from './app-config';
export { ENV_SCHEMA } from './config.schema';
export { ConfigError, type ConfigIssue, loadConfig } from './load-config';
export { ConfigModule } from './config.module';
