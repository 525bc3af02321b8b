export { createDataSourceOptions, type DatabaseOptions, migrate, MIGRATION_LOCK_KEY, openDataSource } from './data-source.factory';
export { DatabaseModule } from './database.module';
export { DatabaseNotifications, type NotificationHandlers } from './database-notifications';
