export { HealthService, type LivenessReport, type ReadinessCheck, type ReadinessReport } from './health.service';
export { createLogger, type Logger, NestPinoLogger } from './logger';
export { MetricsService } from './metrics.service';
export { LOGGER, ObservabilityModule } from './observability.module';
