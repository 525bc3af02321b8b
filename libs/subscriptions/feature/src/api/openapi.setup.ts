import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * Serves the OpenAPI document at /openapi.json and Swagger UI at /docs.
 *
 * SwaggerModule wants the INestApplication, which a module never sees (the
 * platform bootstrap owns it, and the all-in-one app must get the same docs).
 * It only reads the module container, the app config and the HTTP adapter
 * (and serves its UI assets through the adapter),
 * so this hands it exactly those. Runs in onModuleInit: after the routes are
 * registered, before Nest adds its 404 handler.
 */
@Injectable()
export class OpenApiSetup implements OnModuleInit {
  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly adapterHost: HttpAdapterHost,
    private readonly applicationConfig: ApplicationConfig,
  ) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter;
    if (!adapter) return;
    const app = {
      container: (this.moduleRef as unknown as { container: unknown }).container,
      config: this.applicationConfig,
      getHttpAdapter: () => adapter,
      // Swagger UI's JS/CSS (Express adapter).
      useStaticAssets: (path: string, options: unknown) => (adapter as unknown as { useStaticAssets(p: string, o: unknown): void }).useStaticAssets(path, options),
    } as unknown as Parameters<typeof SwaggerModule.createDocument>[0];
    let document: OpenAPIObject | null = null;
    const build = (): OpenAPIObject =>
      (document ??= SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Harmony Webhooks')
          .setDescription(
            'Manage the webhooks of a Harmony workspace. Every call needs `Authorization: Bearer <API key>` (`hwk_…`). ' +
              'Invalid input answers 400 `{ errors: [{ field, reason }] }`.',
          )
          .setVersion('1')
          .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, hwk_…' })
          .build(),
      ));
    SwaggerModule.setup('docs', app, build, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  }
}
