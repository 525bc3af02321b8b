import { OpenApiResponseValidator } from './openapi-validator';

describe('OpenApiResponseValidator', () => {
  const validator = new OpenApiResponseValidator({
    paths: {
      '/v1/things': { get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/ThingList' } } } } } } },
      '/v1/things/{id}': {
        get: { responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } }, '404': {} } },
        delete: { responses: { '204': {} } },
      },
      '/v1/things/special': { get: { responses: { '200': { content: { 'application/json': { schema: { type: 'string' } } } } } } },
    },
    components: {
      schemas: {
        ThingList: { type: 'object', required: ['data'], properties: { data: { type: 'array', items: { $ref: '#/components/schemas/Thing' } } } },
        Thing: {
          type: 'object',
          required: ['id', 'note', 'owner'],
          properties: { id: { type: 'string' }, note: { type: 'string', nullable: true }, owner: { nullable: true, allOf: [{ $ref: '#/components/schemas/Owner' }] } },
        },
        Owner: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      },
    },
  });
  const thing = { id: 't1', note: null, owner: null };

  it('accepts answers that agree with the document (nullable scalars and references)', () => {
    expect(validator.check('GET', '/v1/things', 200, { data: [thing, { ...thing, note: 'n', owner: { name: 'Ada' } }] })).toEqual([]);
    expect(validator.check('GET', '/v1/things/t1?x=1', 200, thing)).toEqual([]);
    expect(validator.check('DELETE', '/v1/things/t1', 204, null)).toEqual([]);
    expect(validator.check('GET', '/v1/things/special', 200, 'literal segments win')).toEqual([]);
    expect(validator.check('GET', '/health', 500, 'not under /v1')).toEqual([]);
  });

  it('reports a wrong shape, an undocumented property, status, operation or body', () => {
    expect(validator.check('GET', '/v1/things', 200, [thing])).toEqual(['GET /v1/things 200: body must be object']);
    expect(validator.check('GET', '/v1/things/t1', 200, { ...thing, extra: 1 })).toEqual(["GET /v1/things/{id} 200: body must NOT have additional properties 'extra'"]);
    expect(validator.check('GET', '/v1/things/t1', 200, { ...thing, owner: {} })).toEqual(["GET /v1/things/{id} 200: body/owner must have required property 'name'", 'GET /v1/things/{id} 200: body/owner must be null', 'GET /v1/things/{id} 200: body/owner must match a schema in anyOf']);
    expect(validator.check('GET', '/v1/things/t1', 409, {})).toEqual(['GET /v1/things/{id}: status 409 is not documented (documented: 200, 404)']);
    expect(validator.check('POST', '/v1/things', 201, {})).toEqual(['POST /v1/things: not in the OpenAPI document']);
    expect(validator.check('GET', '/v1/things/t1', 404, { error: 'not_found' })).toEqual(['GET /v1/things/{id} 404: answers a body, the document describes none']);
  });
});
