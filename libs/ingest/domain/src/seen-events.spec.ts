import { SeenEvents } from './seen-events';

const WS = 'ws_a';

describe('SeenEvents', () => {
  it('lets an id through once within the window', () => {
    const seen = new SeenEvents(1_000);
    expect(seen.reserve(WS, 'evt_1', 0)).toBe(true);
    expect(seen.reserve(WS, 'evt_1', 500)).toBe(false);
    expect(seen.reserve(WS, 'evt_2', 500)).toBe(true);
  });

  it('keys by workspace: the same id in another workspace is another event', () => {
    const seen = new SeenEvents(1_000);
    expect(seen.reserve('ws_a', 'evt_1', 0)).toBe(true);
    expect(seen.reserve('ws_b', 'evt_1', 1)).toBe(true);
    expect(seen.reserve('ws_b', 'evt_1', 2)).toBe(false);
    // No ambiguity where workspace and id meet.
    expect(seen.reserve('ws_ab', 'c', 3)).toBe(true);
    expect(seen.reserve('ws_a', 'bc', 3)).toBe(true);
  });

  it('forgets ids once the window has passed, reusing their slot', () => {
    const seen = new SeenEvents(1_000);
    seen.reserve(WS, 'evt_1', 0);
    seen.reserve(WS, 'evt_2', 600);
    expect(seen.reserve(WS, 'evt_1', 1_000)).toBe(true);
    expect(seen.size).toBe(2);
  });

  it('treats a released id as never seen (forwarding failed, the retry must pass)', () => {
    const seen = new SeenEvents(1_000);
    seen.reserve(WS, 'evt_1', 0);
    seen.release(WS, 'evt_1');
    expect(seen.reserve(WS, 'evt_1', 1)).toBe(true);
    expect(seen.reserve(WS, 'evt_1', 2)).toBe(false);
  });

  it('remembers ids learnt from history, by when they were forwarded', () => {
    const seen = new SeenEvents(1_000);
    seen.remember(WS, 'evt_old', 0, 2_000);
    seen.remember(WS, 'evt_recent', 1_500, 2_000);
    seen.remember('ws_b', 'evt_other', 1_500, 2_000);
    expect(seen.reserve(WS, 'evt_old', 2_000)).toBe(true);
    expect(seen.reserve(WS, 'evt_recent', 2_000)).toBe(false);
    expect(seen.reserve(WS, 'evt_other', 2_000)).toBe(true);
  });

  it('does not mistake an expired id learnt out of order for a duplicate', () => {
    const seen = new SeenEvents(1_000);
    seen.remember(WS, 'evt_late', 1_800, 2_000); // expires at 2 800
    seen.remember(WS, 'evt_early', 1_100, 2_000); // expires at 2 100
    expect(seen.reserve(WS, 'evt_early', 2_500)).toBe(true);
    expect(seen.reserve(WS, 'evt_late', 2_500)).toBe(false);
  });

  it('grows with the ids in the window and keeps every one of them', () => {
    const seen = new SeenEvents(60_000, 100_000);
    for (let i = 0; i < 20_000; i++) expect(seen.reserve(WS, `evt_${i}`, i)).toBe(true);
    for (let i = 0; i < 20_000; i += 997) expect(seen.reserve(WS, `evt_${i}`, 20_000)).toBe(false);
    expect(seen.evicted).toBe(0);
  });

  it('reclaims expired ids instead of growing when the traffic is steady', () => {
    const seen = new SeenEvents(1_000);
    for (let i = 0; i < 20_000; i++) seen.reserve(WS, `evt_${i}`, i); // ~1 000 ids live at any time
    expect(seen.bytes).toBeLessThanOrEqual(4_096 * 20);
    expect(seen.reserve(WS, 'evt_19999', 20_000)).toBe(false);
    expect(seen.reserve(WS, 'evt_18000', 20_000)).toBe(true);
  });

  it('stays within its bound under any traffic, forgetting the oldest ids first', () => {
    const seen = new SeenEvents(24 * 3_600_000, 1_000);
    for (let i = 0; i < 10_000; i++) expect(seen.reserve(WS, `evt_${i}`, i)).toBe(true);
    expect(seen.bytes).toBeLessThanOrEqual(2_048 * 20);
    expect(seen.evicted).toBeGreaterThan(0);
    // The newest are still remembered; the oldest were forgotten (they pass again: at-least-once).
    expect(seen.reserve(WS, 'evt_9999', 10_000)).toBe(false);
    expect(seen.reserve(WS, 'evt_9500', 10_000)).toBe(false);
    expect(seen.reserve(WS, 'evt_0', 10_000)).toBe(true);
  });
});
