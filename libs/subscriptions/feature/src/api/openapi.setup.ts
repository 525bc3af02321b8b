import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationConfig, HttpAdapterHost, ModuleRef } from '@nestjs/core';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { apiComponentSchemas } from '@harmony/contracts';
import { REQUEST_BODY_LIMIT_BYTES, REQUEST_BODY_RULES } from '@harmony/platform-runtime';

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
      (document ??= withBodyRules(SwaggerModule.createDocument(
        app,
        new DocumentBuilder()
          .setTitle('Harmony Webhooks')
          .setDescription(
            'Manage the webhooks of a Harmony workspace. Every call needs `Authorization: Bearer <API key>` (`hwk_…`). ' +
              'Invalid input answers 400 `{ errors: [{ field, reason }] }`. ' +
              REQUEST_BODY_RULES,
          )
          .setVersion('1')
          .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'An API key, hwk_…' })
          .build(),
      )));
    SwaggerModule.setup('docs', app, build, { jsonDocumentUrl: 'openapi.json', yamlDocumentUrl: 'openapi.yaml' });
  }
}

const BODY_ERROR_SCHEMA = {
  type: 'object',
  required: ['errors'],
  properties: {
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'reason'], properties: { field: { type: 'string', example: 'body' }, reason: { type: 'string' } } },
    },
  },
};

const ERROR_SCHEMA = { $ref: '#/components/schemas/ErrorDto' };

/**
 * What every /v1 operation can answer, added where a controller does not say it:
 * 401/403 (ApiKeyGuard on every route), 404 for a resource named in the path, and
 * the body answers of JsonBodyInterceptor (400, 413, 415), and the shapes contracts
 * define (`@harmony/contracts` apiShape). Also writes a nullable
 * reference the OpenAPI 3.0 way (`allOf` beside `nullable`: siblings of `$ref` are ignored).
 */
function withBodyRules(document: OpenAPIObject): OpenAPIObject {
  // The shapes defined in contracts (zod), beside the ones Nest derives from the DTO classes.
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...apiComponentSchemas() } };
  for (const [path, item] of Object.entries(document.paths)) {
    for (const operation of [item.get, item.post, item.put, item.patch, item.delete]) {
      if (!operation || !path.startsWith('/v1/')) continue;
      const content = { 'application/json': { schema: ERROR_SCHEMA } };
      operation.responses['401'] ??= { description: 'Missing or invalid API key.', content };
      operation.responses['403'] ??= { description: 'The API key lacks the scope or role this needs.', content };
      if (path.includes('{')) operation.responses['404'] ??= { description: 'Not found in this workspace.', content };
    }
    for (const operation of [item.post, item.put, item.patch]) {
      if (!operation) continue;
      const content = { 'application/json': { schema: BODY_ERROR_SCHEMA } };
      operation.responses['400'] ??= { description: 'Invalid input, or a body that is not JSON.', content };
      operation.responses['413'] = { description: `Body larger than ${REQUEST_BODY_LIMIT_BYTES} bytes (100 KiB).`, content };
      operation.responses['415'] = { description: 'Body not sent as application/json.', content };
    }
  }
  return nullableReferences(document) as OpenAPIObject;
}

function nullableReferences(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableReferences);
  if (!node || typeof node !== 'object') return node;
  const object = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, nullableReferences(value)]));
  if (typeof object['$ref'] === 'string' && object['nullable'] === true) {
    const { $ref, ...rest } = object;
    return { ...rest, allOf: [{ $ref }] };
  }
  return object;
}
