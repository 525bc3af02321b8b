import { Controller, Get, Header, ServiceUnavailableException } from '@nestjs/common';
import { HealthService, type LivenessReport, type ReadinessReport } from './health.service';
import { MetricsService } from './metrics.service';

@Controller()
export class ObservabilityController {
  constructor(
    private readonly health: HealthService,
    private readonly metrics: MetricsService,
  ) {}

  /**
   * Liveness: the process answers and no required part has given up (a
   * consumer that could not recover within its bound). Never checks
   * dependencies (a broker outage would restart healthy pods).
   */
  @Get('health')
  liveness(): LivenessReport {
    const report = this.health.liveness();
    if (report.status !== 'ok') throw new ServiceUnavailableException(report);
    return report;
  }

  /** Readiness: every dependency this service needs is reachable. */
  @Get('ready')
  async readiness(): Promise<ReadinessReport> {
    const report = await this.health.readiness();
    if (report.status !== 'ready') throw new ServiceUnavailableException(report);
    return report;
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  prometheus(): Promise<string> {
    return this.metrics.text();
  }
}
