import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>>;
  components?: Record<string, unknown>;
}

const DOCUMENT_ID = 'openapi.json';

/**
 * Checks HTTP answers against an OpenAPI 3 document (the service's own
 * `/openapi.json`): the status must be documented for the operation and the body
 * must match its schema, with no property the schema does not name. Test
 * fixtures run every answer through it, so the document cannot drift from
 * what the API does.
 */
export class OpenApiResponseValidator {
  private readonly ajv: Ajv;
  private readonly routes: { template: string; pattern: RegExp; params: number }[];
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(this.ajv);
    const rewritten = JSON.parse(JSON.stringify(document).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`)) as OpenApiDocument;
    this.document = rewritten;
    this.ajv.addSchema(closeObjects({ $id: DOCUMENT_ID, components: rewritten.components ?? {} }) as object);
    // Literal segments win over parameters: /v1/webhooks/test before /v1/webhooks/{id}.
    this.routes = Object.keys(rewritten.paths)
      .map((template) => ({
        template,
        pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^/}]+\}/g, '[^/]+')}$`),
        params: (template.match(/\{/g) ?? []).length,
      }))
      .sort((a, b) => a.params - b.params);
  }

  static async fetch(baseUrl: string): Promise<OpenApiResponseValidator> {
    const response = await fetch(`${baseUrl}/openapi.json`);
    if (!response.ok) throw new Error(`GET /openapi.json answered ${response.status}`);
    return new OpenApiResponseValidator((await response.json()) as OpenApiDocument);
  }

  /** What is wrong with an answer (empty when it agrees with the document). Only paths under /v1/ are checked. */
  check(method: string, url: string, status: number, body: unknown): string[] {
    const path = url.split('?')[0];
    if (!path.startsWith('/v1/')) return [];
    const verb = method.toLowerCase();
    const route = this.routes.find(({ pattern, template }) => pattern.test(path) && this.document.paths[template][verb]);
    const where = `${method.toUpperCase()} ${route?.template ?? path}`;
    if (!route) return [`${where}: not in the OpenAPI document`];
    const responses = this.document.paths[route.template][verb].responses ?? {};
    const documented = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses['default'];
    if (!documented) return [`${where}: status ${status} is not documented (documented: ${Object.keys(responses).join(', ')})`];
    const schema = documented.content?.['application/json']?.schema;
    if (!schema) return body === null || body === '' ? [] : [`${where} ${status}: answers a body, the document describes none`];
    const key = `${route.template} ${verb} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      validate = this.ajv.compile(closeObjects(schema) as object);
      this.compiled.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((error) => `${where} ${status}: body${error.instancePath} ${error.message}${error.params && 'additionalProperty' in error.params ? ` '${String(error.params['additionalProperty'])}'` : ''}`);
  }
}

/**
 * OpenAPI 3.0 schema → JSON Schema for Ajv. Object schemas that name their properties accept
 * no others (an undocumented field is drift too).
 */
function closeObjects(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (!schema || typeof schema !== 'object') return schema;
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // Keys under `properties` are names, not schemas; their values are schemas.
    result[key] = key === 'properties' && value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([name, inner]) => [name, closeObjects(inner)])) : closeObjects(value);
  }
  if (result['properties'] && result['additionalProperties'] === undefined && !result['allOf']) result['additionalProperties'] = false;
  // OpenAPI 3.0 `nullable` (also beside allOf, which would still refuse null) is not JSON Schema: say it as anyOf.
  if (result['nullable'] === true) {
    const { nullable: _nullable, ...rest } = result;
    return { anyOf: [rest, { type: 'null' }] };
  }
  return result;
}
