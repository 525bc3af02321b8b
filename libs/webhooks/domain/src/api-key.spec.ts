import { bearerToken, generateApiKey, hashApiKey, looksLikeApiKey } from './api-key';

describe('API keys', () => {
  it('are hwk_-prefixed, high-entropy, and stored only as their hash', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^hwk_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).not.toContain(a.key.slice(4));
    expect(a.displayPrefix).toBe(a.key.slice(0, 12));
    expect(looksLikeApiKey(a.key)).toBe(true);
    expect(looksLikeApiKey('hwk_short')).toBe(false);
  });

  it('reads a Bearer token', () => {
    expect(bearerToken('Bearer hwk_abc')).toBe('hwk_abc');
    expect(bearerToken('bearer  hwk_abc ')).toBe('hwk_abc');
    expect(bearerToken('Basic dXNlcg==')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });
});
