export { createDataSourceOptions, type DatabaseOptions, openDataSource } from './data-source.factory';
export { DatabaseModule } from './database.module';
export { newId } from './ids';
