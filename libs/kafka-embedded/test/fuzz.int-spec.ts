import * as net from 'node:net';
import { RunningBroker } from '../src';
import { SUPPORTED_API_VERSIONS } from '../src/protocol/api-versions';
import { ByteWriter } from '../src/protocol/byte-writer';
import { kafkaFor, startTestBroker, waitFor } from './test-broker';
import { buildBatch } from './wire-client';

jest.setTimeout(90_000);

/** Small deterministic PRNG (mulberry32) so a failure can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Body = (w: ByteWriter, v: number) => void;

/** A valid body for every served API (fields by version, as the handlers read them). */
const VALID_BODIES: Record<number, Body> = {
  0: (w) => {
    w.nullableString(null).int16(1).int32(1000);
    w.array(['fuzz'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).bytes(buildBatch([{ key: 'k', value: 'v', headers: { h: '1' } }]))));
  },
  1: (w, v) => {
    w.int32(-1).int32(50).int32(1).int32(1 << 20).int8(0);
    if (v >= 7) w.int32(0).int32(-1);
    w.array(['fuzz'], (w, t) =>
      w.string(t).array([0], (w, p) => {
        w.int32(p);
        if (v >= 9) w.int32(-1);
        w.int64(0);
        if (v >= 5) w.int64(-1);
        w.int32(1 << 20);
      }),
    );
    if (v >= 7) w.int32(0);
    if (v >= 11) w.string('');
  },
  2: (w, v) => {
    w.int32(-1);
    if (v >= 2) w.int8(0);
    w.array(['fuzz'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p).int64(-1)));
  },
  3: (w, v) => {
    w.array(['fuzz'], (w, t) => w.string(t));
    if (v >= 4) w.bool(false);
  },
  8: (w, v) => {
    w.string('fuzz-group');
    if (v >= 1) w.int32(-1).string('');
    if (v >= 7) w.nullableString(null);
    if (v >= 2 && v <= 4) w.int64(-1);
    w.array(['fuzz'], (w, t) =>
      w.string(t).array([0], (w, p) => {
        w.int32(p).int64(1);
        if (v >= 6) w.int32(-1);
        if (v === 1) w.int64(-1);
        w.nullableString(null);
      }),
    );
  },
  9: (w) => w.string('fuzz-group').array(['fuzz'], (w, t) => w.string(t).array([0], (w, p) => w.int32(p))),
  10: (w, v) => {
    w.string('fuzz-group');
    if (v >= 1) w.int8(0);
  },
  11: (w, v) => {
    w.string('fuzz-group').int32(6000);
    if (v >= 1) w.int32(6000);
    w.string('');
    if (v >= 5) w.nullableString(null);
    w.string('consumer').array(['range'], (w, n) => w.string(n).bytes(Buffer.from([0, 1, 0, 0, 0, 1, 0, 4, 102, 117, 122, 122, 0, 0, 0, 0])));
  },
  12: (w, v) => {
    w.string('fuzz-group').int32(1).string('member');
    if (v >= 3) w.nullableString(null);
  },
  13: (w, v) => {
    w.string('fuzz-group');
    if (v >= 3) w.array(['member'], (w, m) => w.string(m).nullableString(null));
    else w.string('member');
  },
  14: (w, v) => {
    w.string('fuzz-group').int32(1).string('member');
    if (v >= 3) w.nullableString(null);
    w.array(['member'], (w, m) => w.string(m).bytes(Buffer.alloc(4)));
  },
  15: (w) => w.array(['fuzz-group'], (w, g) => w.string(g)),
  16: () => undefined,
  18: (w, v) => {
    if (v >= 3) w.compactString('fuzzer').compactString('1.0').taggedFields();
  },
  19: (w, v) => {
    w.array(['fuzz-created'], (w, t) => w.string(t).int32(2).int16(1).int32(0).array([['retention.ms', '1000']], (w, [k, val]) => w.string(k).nullableString(val)));
    w.int32(1000);
    if (v >= 1) w.bool(false);
  },
  20: (w) => w.array(['fuzz-created'], (w, t) => w.string(t)).int32(1000),
  22: (w) => w.nullableString(null).int32(1000),
};

function frame(apiKey: number, version: number, correlationId: number, body: Body): Buffer {
  const w = new ByteWriter();
  w.int16(apiKey).int16(version).int32(correlationId).nullableString('fuzzer');
  if (apiKey === 18 && version >= 3) w.taggedFields();
  body(w, version);
  const payload = w.toBuffer();
  const out = Buffer.alloc(4 + payload.length);
  out.writeInt32BE(payload.length, 0);
  payload.copy(out, 4);
  return out;
}

const EXTREMES = [0x00, 0xff, 0x7f, 0x80];

function mutate(buf: Buffer, rnd: () => number): Buffer {
  const out = Buffer.from(buf);
  const kind = Math.floor(rnd() * 5);
  const at = 4 + Math.floor(rnd() * Math.max(1, out.length - 4));
  switch (kind) {
    case 0: // flip a few bytes
      for (let i = 0; i < 1 + Math.floor(rnd() * 4); i++) {
        const p = 4 + Math.floor(rnd() * (out.length - 4));
        out[p] ^= 1 << Math.floor(rnd() * 8);
      }
      return out;
    case 1: // an int field to an extreme value
      for (let i = at; i < Math.min(out.length, at + 4); i++) out[i] = EXTREMES[Math.floor(rnd() * EXTREMES.length)];
      return out;
    case 2: {
      // truncate, keeping the size prefix consistent
      const cut = out.subarray(0, Math.max(6, at));
      cut.writeInt32BE(cut.length - 4, 0);
      return cut;
    }
    case 3: {
      // trailing garbage
      const extra = Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
      const longer = Buffer.concat([out, extra]);
      longer.writeInt32BE(longer.length - 4, 0);
      return longer;
    }
    default: // a lying size prefix
      out.writeInt32BE(Math.floor(rnd() * 0xffffffff) | 0, 0);
      return out;
  }
}

function randomFrame(rnd: () => number): Buffer {
  const len = Math.floor(rnd() * 200);
  const body = Buffer.from(Array.from({ length: len }, () => Math.floor(rnd() * 256)));
  if (rnd() < 0.5 && len >= 4) {
    // A plausible header (a real API key) over a random body.
    const keys = [...SUPPORTED_API_VERSIONS.keys(), 17, 24, 36, 999];
    body.writeInt16BE(keys[Math.floor(rnd() * keys.length)], 0);
    body.writeInt16BE(Math.floor(rnd() * 8), 2);
  }
  const out = Buffer.alloc(4 + len);
  out.writeInt32BE(len, 0);
  body.copy(out, 4);
  return out;
}

/** Sends frames on one connection and waits until it is closed or quiet. */
function blast(port: number, frames: Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const s = net.connect({ port, host: '127.0.0.1' });
    let timer: NodeJS.Timeout;
    const done = () => {
      clearTimeout(timer);
      s.destroy();
      resolve();
    };
    s.on('error', done);
    s.on('close', done);
    s.on('data', () => undefined);
    s.on('connect', () => {
      for (const f of frames) s.write(f);
      timer = setTimeout(done, 150);
    });
  });
}

describe('fuzzing the wire protocol', () => {
  let broker: RunningBroker;
  let brokerErrors: string[] = [];

  beforeAll(async () => {
    const errors: string[] = [];
    broker = await startTestBroker({ logger: { log: (level, msg, fields) => void (level === 'error' && errors.push(`${msg} ${JSON.stringify(fields)}`)) } });
    brokerErrors = errors;
  });
  afterAll(async () => {
    await broker.close();
  });

  it('survives random, mutated and truncated frames of every API, then serves kafkajs normally', async () => {
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000);
    console.log(`fuzz seed ${seed} (FUZZ_SEED=${seed} replays it)`);
    const rnd = prng(seed);
    const templates: Buffer[] = [];
    let cid = 0;
    for (const [key, range] of SUPPORTED_API_VERSIONS) {
      for (let v = range.min; v <= range.max; v++) templates.push(frame(key, v, ++cid, VALID_BODIES[key]));
    }
    // Every valid template is answered first: the fuzz starts from requests that work.
    await blast(broker.port, templates);

    const ROUNDS = 300;
    for (let round = 0; round < ROUNDS; round += 6) {
      const batch: Promise<void>[] = [];
      for (let c = 0; c < 6; c++) {
        const frames: Buffer[] = [];
        for (let i = 0; i < 1 + Math.floor(rnd() * 4); i++) {
          const pick = rnd();
          if (pick < 0.2) frames.push(randomFrame(rnd));
          else if (pick < 0.3) frames.push(templates[Math.floor(rnd() * templates.length)]);
          else frames.push(mutate(templates[Math.floor(rnd() * templates.length)], rnd));
        }
        batch.push(blast(broker.port, frames));
      }
      await Promise.all(batch);
    }
    expect(broker.stats().connections.total).toBeGreaterThan(ROUNDS);

    // A normal client still works.
    const kafka = kafkaFor(broker);
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'after-fuzz', acks: -1, messages: [{ key: 'a', value: 'still alive' }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: 'after-fuzz-group', maxWaitTimeInMs: 100 });
    await consumer.connect();
    const got: string[] = [];
    await consumer.subscribe({ topic: 'after-fuzz', fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void got.push(message.value!.toString()) });
    await waitFor(() => got.length === 1, 15_000, 'a message after fuzzing');
    await consumer.disconnect();
    expect(got).toEqual(['still alive']);
    // Bad input is the client's problem: it closes connections, never trips a handler bug.
    expect(brokerErrors).toEqual([]);
  });
});
