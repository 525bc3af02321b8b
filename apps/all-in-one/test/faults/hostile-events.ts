import { CONTACT_CREATED, newId } from '@harmony/contracts';

/** mulberry32: a small seeded PRNG, so a failing fuzz run can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const WEIRD_VALUES: Json[] = [
  null,
  true,
  0,
  -1,
  1e308,
  '',
  ' ',
  '\u0000',
  '\ud800',
  '💥'.repeat(50),
  'a'.repeat(20_000),
  [],
  {},
  [null],
  { __proto__: { polluted: true } } as unknown as Json,
  { constructor: { prototype: { polluted: true } } },
  '2024-13-45T99:99:99Z',
  'contact.created ',
  'CONTACT.CREATED',
  'evt_',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  "'; DROP TABLE subscriptions; --",
];

const FIELDS = ['id', 'type', 'workspaceId', 'occurredAt', 'data', 'access'] as const;

/**
 * Hostile variants of an upstream event: bytes that are not JSON, JSON that
 * is not an object, events with fields missing, of the wrong type, absurdly
 * large or deeply nested, unknown types, data against the schema… About one
 * in twenty is left valid (a fresh id each), so deliveries can be checked too.
 */
export class HostileEvents {
  private readonly random: () => number;

  constructor(
    seed: number,
    private readonly workspaceId: string,
  ) {
    this.random = seededRandom(seed);
  }

  /** A valid event of the workspace, with a fresh id. */
  valid(): Record<string, Json> {
    return { id: newId('event'), type: 'contact.created', workspaceId: this.workspaceId, occurredAt: new Date().toISOString(), data: CONTACT_CREATED.example as unknown as Json };
  }

  /** The next body: bytes as they go on the wire. */
  next(): Buffer {
    const roll = this.random();
    if (roll < 0.05) return Buffer.from(JSON.stringify(this.valid()));
    if (roll < 0.12) return this.randomBytes();
    if (roll < 0.2) {
      const text = JSON.stringify(this.valid());
      return Buffer.from(text.slice(0, this.int(text.length)));
    }
    if (roll < 0.25) return Buffer.from(JSON.stringify(this.pick(WEIRD_VALUES)));
    if (roll < 0.3) return Buffer.from(`${'['.repeat(2_000 + this.int(3_000))}${']'.repeat(2_000)}`);
    if (roll < 0.34) return Buffer.from(`\ufeff${JSON.stringify(this.valid())}garbage`);
    if (roll < 0.38) return Buffer.from(JSON.stringify([this.valid(), this.pick(WEIRD_VALUES)]));
    const event: Record<string, Json> = this.valid();
    const mutations = 1 + this.int(3);
    for (let i = 0; i < mutations; i++) this.mutate(event);
    return Buffer.from(this.random() < 0.1 ? JSON.stringify(event).replace('"type"', '"type":"x","type"') : JSON.stringify(event));
  }

  private mutate(event: Record<string, Json>): void {
    const field = this.pick(FIELDS);
    const roll = this.random();
    if (roll < 0.25) delete event[field];
    else if (roll < 0.55) event[field] = this.pick(WEIRD_VALUES);
    else if (roll < 0.7) event['type'] = this.pick(['contact.exploded', 'contact', '', 'account.created', 'x'.repeat(300)]);
    else if (roll < 0.85) {
      const data = { ...(event['data'] as Record<string, Json>) };
      const keys = Object.keys(data);
      const key = keys.length > 0 ? this.pick(keys) : 'x';
      if (this.random() < 0.5) delete data[key];
      else data[key] = this.pick(WEIRD_VALUES);
      event['data'] = data;
    } else event[`extra_${this.int(5)}`] = this.pick(WEIRD_VALUES);
  }

  private randomBytes(): Buffer {
    const bytes = Buffer.alloc(this.int(300));
    for (let i = 0; i < bytes.length; i++) bytes[i] = this.int(256);
    return bytes;
  }

  private int(below: number): number {
    return Math.floor(this.random() * below);
  }

  private pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)];
  }
}
