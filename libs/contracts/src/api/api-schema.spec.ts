import { z } from 'zod';
import { apiShapeRef } from './api-schema';
import { apiComponentSchemas } from './openapi-components';
import { DELIVERY, DELIVERY_PAGE } from './deliveries.api';
import { TEST_RESULT } from './test-send.api';

describe('API shapes', () => {
  const schemas = apiComponentSchemas();

  it('are OpenAPI 3.0 component schemas under their names, closed, without $id', () => {
    expect(Object.keys(schemas)).toEqual(expect.arrayContaining(['DeliveryDto', 'DeliveryPageDto', 'RequestedByDto', 'DeliveryErrorDto', 'TestResultDto', 'EventCatalogDto']));
    const delivery = schemas['DeliveryDto']!;
    expect(delivery).not.toHaveProperty('$id');
    expect(delivery).toMatchObject({ type: 'object', additionalProperties: false });
    expect(delivery['required']).toEqual(expect.arrayContaining(['id', 'outcome', 'requestBody', 'nextAttemptAt']));
  });

  it('write nullable values and references the OpenAPI 3.0 way, timestamps as date-time', () => {
    const properties = schemas['DeliveryDto']!['properties'] as Record<string, unknown>;
    expect(properties['httpStatus']).toEqual({ type: 'number', nullable: true });
    expect(properties['requestedBy']).toMatchObject({ nullable: true, allOf: [{ $ref: '#/components/schemas/RequestedByDto' }] });
    expect(properties['nextAttemptAt']).toEqual({ type: 'string', format: 'date-time', nullable: true });
    expect(properties['outcome']).toEqual({ type: 'string', enum: ['sending', 'success', 'failure', 'exhausted', 'dropped', 'deferred'] });
    expect((schemas['TestResultDto']!['required'] as string[]).includes('signingSecret')).toBe(false);
  });

  it('are referenced by name, and only named shapes are', () => {
    expect(apiShapeRef(DELIVERY_PAGE)).toEqual({ $ref: '#/components/schemas/DeliveryPageDto' });
    expect(apiShapeRef(TEST_RESULT)).toEqual({ $ref: '#/components/schemas/TestResultDto' });
    expect(() => apiShapeRef(z.object({}))).toThrow('not a named API shape');
  });

  it('parse what the server answers and refuse what it must not', () => {
    const delivery = {
      id: 'att_01JNV7R700GQBSC0FSC7E9GGBJ',
      webhookId: 'sub_01JNQFK040H9WJZ8BZJ6VY51W0',
      eventId: 'evt_01JNPQHYR0QF7VAG5EP6RNXA2R',
      eventType: 'contact.created',
      attempt: 1,
      outcome: 'success',
      url: 'https://hooks.example.com/harmony',
      httpStatus: 204,
      durationMs: 42,
      trigger: 'event',
      requestedBy: null,
      responseHeaders: null,
      responseBody: '',
      responseBodyTruncated: false,
      error: null,
      requestHeaders: {},
      requestBody: null,
      requestBodyWithheld: null,
      startedAt: '2026-11-30T04:00:00.000Z',
      finishedAt: '2026-11-30T04:00:00.042Z',
      nextAttemptAt: null,
    };
    expect(DELIVERY.parse(delivery)).toEqual(delivery);
    expect(DELIVERY.safeParse({ ...delivery, outcome: 'maybe' }).success).toBe(false);
  });
});
