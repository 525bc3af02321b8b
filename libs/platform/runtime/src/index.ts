export { PlatformModule } from './platform.module';
export { type RunningService, runService, type ServiceDefinition, startService } from './bootstrap-service';
