import { Webhook } from 'standardwebhooks';
import { generateSigningSecret, secretKey, signWebhook } from './signature';

describe('signWebhook', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'contact.created', timestamp: '2026-11-27T08:00:00Z', workspace_id: 'ws_1', data: {} });

  it('produces signatures the Standard Webhooks library verifies', () => {
    const secret = generateSigningSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook({ id: 'evt_1', timestamp, body }, [secret]);
    const headers = { 'webhook-id': 'evt_1', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs with every valid secret during rotation, each verifiable on its own', () => {
    const previous = generateSigningSecret();
    const current = generateSigningSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook({ id: 'evt_2', timestamp, body }, [current, previous]);
    expect(signature.split(' ')).toHaveLength(2);
    const headers = { 'webhook-id': 'evt_2', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
  });

  it('fails verification when the body is changed', () => {
    const secret = generateSigningSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const signature = signWebhook({ id: 'evt_3', timestamp, body }, [secret]);
    const headers = { 'webhook-id': 'evt_3', 'webhook-timestamp': String(timestamp), 'webhook-signature': signature };
    expect(() => new Webhook(secret).verify(body.replace('ws_1', 'ws_2'), headers)).toThrow();
  });

  it('matches a known vector', () => {
    // HMAC-SHA256 over "msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}" with key base64 MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw.
    const signature = signWebhook(
      { id: 'msg_p5jXN8AQM9LWM0D4loKWxJek', timestamp: 1614265330, body: '{"test": 2432232314}' },
      ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    );
    expect(signature).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('generates whsec_ secrets of 32 random bytes and rejects malformed ones', () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(secretKey(secret)).toHaveLength(32);
    expect(() => secretKey('sk_live_123')).toThrow('must start with whsec_');
    expect(() => secretKey('whsec_c2hvcnQ=')).toThrow('24–64 bytes');
    expect(() => signWebhook({ id: 'x', timestamp: 1, body: '' }, [])).toThrow('at least one');
  });
});
