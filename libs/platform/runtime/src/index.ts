export { PlatformModule } from './platform.module';
export { JsonBodyInterceptor, REQUEST_BODY_LIMIT_BYTES, REQUEST_BODY_RULES } from './json-body.interceptor';
export { type RunningService, runService, type ServiceDefinition, startService } from './bootstrap-service';
