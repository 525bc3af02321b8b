import { type BreakerState, EndpointBreakers } from './endpoint-breakers';

const ok = async () => 'ok';
const bad = async () => 'bad';
const isBad = (result: string) => result === 'bad';

describe('EndpointBreakers', () => {
  let now = 0;
  const transitions: [string, BreakerState][] = [];
  let breakers: EndpointBreakers;

  beforeEach(() => {
    now = 1_000_000;
    transitions.length = 0;
    breakers = new EndpointBreakers({
      volumeThreshold: 4,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 60,
      rollingWindowMs: 60_000,
      idleEvictMs: 10 * 60_000,
      tickIntervalMs: 0,
      now: () => now,
      onStateChange: (key, state) => transitions.push([key, state]),
    });
  });

  afterEach(() => breakers.close());

  it('keeps one breaker per endpoint: failures of one never open another', async () => {
    for (let i = 0; i < 4; i++) await breakers.call('a', bad, isBad);
    await breakers.call('a', ok, isBad);
    await breakers.call('b', ok, isBad);
    expect(breakers.size).toBe(2);
    expect(breakers.state('a')).toBe('open');
    expect(breakers.state('b')).toBe('closed');
    expect(breakers.state('c')).toBeNull();
  });

  it('opens after enough failures, then rejects without running the task', async () => {
    for (let i = 0; i < 4; i++) {
      expect(await breakers.call('a', bad, isBad)).toEqual({ kind: 'done', result: 'bad' });
    }
    expect(breakers.state('a')).toBe('open');
    expect(transitions).toEqual([['a', 'open']]);

    const task = jest.fn(ok);
    now += 10;
    const call = await breakers.call('a', task, isBad);
    expect(call).toEqual({ kind: 'open', retryInMs: 50 });
    expect(task).not.toHaveBeenCalled();
    // Other endpoints are unaffected.
    expect(await breakers.call('b', ok, isBad)).toEqual({ kind: 'done', result: 'ok' });
    expect(breakers.counts()).toEqual({ closed: 1, open: 1, 'half-open': 0 });
  });

  it('half-opens after the reset timeout and closes on a success', async () => {
    for (let i = 0; i < 4; i++) await breakers.call('a', bad, isBad);
    now += 59;
    expect(breakers.state('a')).toBe('open');
    now += 1;
    expect(breakers.state('a')).toBe('half-open');
    expect(await breakers.call('a', ok, isBad)).toEqual({ kind: 'done', result: 'ok' });
    expect(breakers.state('a')).toBe('closed');
    expect(transitions.map(([, state]) => state)).toEqual(['open', 'half-open', 'closed']);
  });

  it('stays closed below the volume threshold and when failures are a minority', async () => {
    for (let i = 0; i < 3; i++) await breakers.call('a', bad, isBad);
    expect(breakers.state('a')).toBe('closed');
    const mixed = await Promise.all(Array.from({ length: 10 }, () => breakers.call('b', ok, isBad)));
    await breakers.call('b', bad, isBad);
    expect(mixed.every((call) => call.kind === 'done')).toBe(true);
    expect(breakers.state('b')).toBe('closed');
  });

  it('closes with a fresh window: one failure after a successful trial does not reopen it', async () => {
    for (let i = 0; i < 4; i++) await breakers.call('a', bad, isBad);
    now += 60;
    expect(await breakers.call('a', ok, isBad)).toEqual({ kind: 'done', result: 'ok' });
    await breakers.call('a', bad, isBad);
    expect(breakers.state('a')).toBe('closed');
  });

  it('counts a thrown error against the endpoint and throws it on', async () => {
    const boom = async (): Promise<string> => Promise.reject(new Error('bug'));
    for (let i = 0; i < 3; i++) await expect(breakers.call('a', boom, isBad)).rejects.toThrow('bug');
    await expect(breakers.call('a', boom, isBad)).rejects.toThrow('bug');
    expect(breakers.state('a')).toBe('open');
  });

  it('forgets failures that leave the rolling window', async () => {
    for (let i = 0; i < 3; i++) await breakers.call('a', bad, isBad);
    now += 61_000;
    breakers.tick();
    await breakers.call('a', bad, isBad);
    expect(breakers.state('a')).toBe('closed');
  });

  it('passes through errors that are not endpoint results', async () => {
    await expect(breakers.call('a', async () => Promise.reject(new Error('bug')), isBad)).rejects.toThrow('bug');
  });

  it('keeps no timer per breaker: thousands of endpoints, one shared eviction timer at most', async () => {
    const intervals = jest.spyOn(global, 'setInterval');
    const timeouts = jest.spyOn(global, 'setTimeout');
    try {
      for (let i = 0; i < 2_000; i++) await breakers.call(`endpoint-${i}`, ok, isBad);
      expect(breakers.size).toBe(2_000);
      expect(intervals).not.toHaveBeenCalled();
      expect(timeouts).not.toHaveBeenCalled();
    } finally {
      intervals.mockRestore();
      timeouts.mockRestore();
    }
  });

  it('evicts idle breakers, but not open ones', async () => {
    await breakers.call('idle', ok, isBad);
    for (let i = 0; i < 4; i++) await breakers.call('failing', bad, isBad);
    now += 5 * 60_000;
    await breakers.call('recent', ok, isBad);
    now += 6 * 60_000;
    expect(breakers.tick()).toBe(1);
    expect(breakers.state('idle')).toBeNull();
    // Kept: its open period (60 ms) is long over, so it is half-open — waiting for a trial, not forgotten.
    expect(breakers.state('failing')).toBe('half-open');
    expect(breakers.state('recent')).toBe('closed');
    expect(breakers.size).toBe(2);
  });

  it('half-open: admits one trial; every other call waits for its outcome, never "now"', async () => {
    const halfOpen = new EndpointBreakers({ volumeThreshold: 4, resetTimeoutMs: 30, trialWaitMs: 5_000, tickIntervalMs: 0, now: () => now });
    try {
      for (let i = 0; i < 4; i++) await halfOpen.call('a', bad, isBad);
      now += 30;
      expect(halfOpen.state('a')).toBe('half-open');
      now += 10 * 60_000; // long after the circuit opened: the old code answered max(0, openedAt + reset − now) = 0
      let finishTrial!: (result: string) => void;
      const trial = halfOpen.call('a', () => new Promise<string>((resolve) => (finishTrial = resolve)), isBad);
      const others = await Promise.all(Array.from({ length: 5 }, () => halfOpen.call('a', ok, isBad)));
      expect(others).toEqual(Array.from({ length: 5 }, () => ({ kind: 'open', retryInMs: 5_000 })));
      finishTrial('ok');
      expect(await trial).toEqual({ kind: 'done', result: 'ok' });
      expect(halfOpen.state('a')).toBe('closed');
    } finally {
      halfOpen.close();
    }
  });

  it('keeps an endpoint that fails its trials open longer each time, up to a cap; a success resets it', async () => {
    const growing = new EndpointBreakers({ volumeThreshold: 4, resetTimeoutMs: 20, maxResetTimeoutMs: 70, tickIntervalMs: 0 });
    const failTrial = async (): Promise<void> => {
      await waitForState(growing, 'a', 'half-open');
      expect(await growing.call('a', bad, isBad)).toEqual({ kind: 'done', result: 'bad' });
      expect(growing.state('a')).toBe('open');
    };
    try {
      for (let i = 0; i < 4; i++) await growing.call('a', bad, isBad);
      expect(growing.resetTimeoutOf('a')).toBe(20);
      await failTrial();
      expect(growing.resetTimeoutOf('a')).toBe(40);
      // Opened a moment ago for 40 ms: the wait says so.
      const refused = await growing.call('a', ok, isBad);
      expect(refused.kind === 'open' && refused.retryInMs > 0 && refused.retryInMs <= 40).toBe(true);
      await failTrial();
      expect(growing.resetTimeoutOf('a')).toBe(70);
      await failTrial();
      expect(growing.resetTimeoutOf('a')).toBe(70);
      await waitForState(growing, 'a', 'half-open');
      expect(await growing.call('a', ok, isBad)).toEqual({ kind: 'done', result: 'ok' });
      expect(growing.resetTimeoutOf('a')).toBe(20);
    } finally {
      growing.close();
    }
  });
});

async function waitForState(breakers: EndpointBreakers, key: string, state: BreakerState): Promise<void> {
  const deadline = Date.now() + 2_000;
  while (breakers.state(key) !== state) {
    if (Date.now() > deadline) throw new Error(`breaker ${key} never became ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
