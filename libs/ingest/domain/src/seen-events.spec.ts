import { SeenEvents } from './seen-events';

describe('SeenEvents', () => {
  it('lets an id through once within the window', () => {
    const seen = new SeenEvents(1_000);
    expect(seen.reserve('evt_1', 0)).toBe(true);
    expect(seen.reserve('evt_1', 500)).toBe(false);
    expect(seen.reserve('evt_2', 500)).toBe(true);
  });

  it('forgets ids once the window has passed', () => {
    const seen = new SeenEvents(1_000);
    seen.reserve('evt_1', 0);
    seen.reserve('evt_2', 600);
    expect(seen.reserve('evt_1', 1_000)).toBe(true);
    expect(seen.size).toBe(2);
  });

  it('treats a released id as never seen (forwarding failed, the retry must pass)', () => {
    const seen = new SeenEvents(1_000);
    seen.reserve('evt_1', 0);
    seen.release('evt_1');
    expect(seen.reserve('evt_1', 1)).toBe(true);
  });

  it('remembers ids learnt from history, by when they were forwarded', () => {
    const seen = new SeenEvents(1_000);
    seen.remember('evt_old', 0, 2_000);
    seen.remember('evt_recent', 1_500, 2_000);
    expect(seen.reserve('evt_old', 2_000)).toBe(true);
    expect(seen.reserve('evt_recent', 2_000)).toBe(false);
  });

  it('does not mistake an expired id stuck behind a newer one for a duplicate', () => {
    const seen = new SeenEvents(1_000);
    seen.remember('evt_late', 1_800, 2_000); // expires at 2 800
    seen.remember('evt_early', 1_100, 2_000); // expires at 2 100, inserted after: pruning stops before it
    expect(seen.reserve('evt_early', 2_500)).toBe(true);
  });
});
