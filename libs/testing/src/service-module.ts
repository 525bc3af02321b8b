import type { Type } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import type { AppConfig } from '@harmony/platform-config';
import { createLogger } from '@harmony/platform-observability';
import { PlatformModule } from '@harmony/platform-runtime';

/**
 * A service module as its app runs it — on the same PlatformModule (config,
 * logs/metrics/health, Kafka) — compiled but not initialised, so a test can
 * `init()` it or make an HTTP app of it.
 */
export function compileServiceModule(service: string, module: Type, config: AppConfig): Promise<TestingModule> {
  return Test.createTestingModule({
    imports: [PlatformModule.forRoot({ service, config, logger: createLogger({ service, level: 'silent' }) }), module],
  }).compile();
}
