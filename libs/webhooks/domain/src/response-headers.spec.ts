import { RESPONSE_HEADERS_LIMIT_BYTES, RESPONSE_HEADERS_LIMIT_COUNT } from '@harmony/contracts';
import { boundResponseHeaders, REDACTED_HEADER_VALUE } from './response-headers';

describe('boundResponseHeaders', () => {
  it('keeps headers in order, names lower-cased, credential values redacted', () => {
    expect(boundResponseHeaders({ 'Content-Type': 'application/json', 'Set-Cookie': 'session=abc', 'X-Request-Id': 'r1', 'x-api-key': 'k' })).toEqual({
      'content-type': 'application/json',
      'set-cookie': REDACTED_HEADER_VALUE,
      'x-request-id': 'r1',
      'x-api-key': REDACTED_HEADER_VALUE,
    });
  });

  it(`keeps at most ${RESPONSE_HEADERS_LIMIT_COUNT} headers`, () => {
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, index) => [`x-h${index}`, 'v']));
    const kept = boundResponseHeaders(many);
    expect(Object.keys(kept)).toHaveLength(RESPONSE_HEADERS_LIMIT_COUNT);
    expect(Object.keys(kept)[0]).toBe('x-h0');
  });

  it(`keeps at most ${RESPONSE_HEADERS_LIMIT_BYTES} bytes, leaving out a header that does not fit whole`, () => {
    const kept = boundResponseHeaders({ 'x-big': 'a'.repeat(3000), 'x-too-big': 'b'.repeat(2000), 'x-small': 'c' });
    expect(Object.keys(kept)).toEqual(['x-big', 'x-small']);
    const size = Object.entries(kept).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + Buffer.byteLength(value), 0);
    expect(size).toBeLessThanOrEqual(RESPONSE_HEADERS_LIMIT_BYTES);
  });
});
