import { observeAttempt } from './auto-disable';

const at = (iso: string): Date => new Date(iso);
const failure = (start: string) => ({ outcome: 'failure' as const, httpStatus: 500, startedAt: at(start), finishedAt: at(start) });

describe('observeAttempt', () => {
  it('starts a failure run and disables after five days of it', () => {
    let health = observeAttempt({ failingSince: null }, failure('2026-01-01T00:00:00Z'));
    expect(health).toEqual({ failingSince: at('2026-01-01T00:00:00Z'), disable: null });
    health = observeAttempt(health, failure('2026-01-05T23:59:00Z'));
    expect(health.disable).toBeNull();
    health = observeAttempt(health, failure('2026-01-06T00:00:00Z'));
    expect(health.disable).toMatch(/failed for 5 days \(since 2026-01-01T00:00:00.000Z\)/);
  });

  it('ends the run on a newer success, not an older one', () => {
    const failing = { failingSince: at('2026-01-02T00:00:00Z') };
    const success = (iso: string) => ({ outcome: 'success' as const, httpStatus: 200, startedAt: at(iso), finishedAt: at(iso) });
    expect(observeAttempt(failing, success('2026-01-03T00:00:00Z')).failingSince).toBeNull();
    expect(observeAttempt(failing, success('2026-01-01T00:00:00Z')).failingSince).toEqual(failing.failingSince);
  });

  it('disables at once on 410 Gone and ignores deferred attempts', () => {
    const gone = { outcome: 'dropped' as const, httpStatus: 410, startedAt: at('2026-01-01T00:00:00Z'), finishedAt: at('2026-01-01T00:00:00Z') };
    expect(observeAttempt({ failingSince: null }, gone).disable).toBe('The endpoint answered 410 Gone.');
    const deferred = { ...gone, outcome: 'deferred' as const, httpStatus: null };
    expect(observeAttempt({ failingSince: null }, deferred)).toEqual({ failingSince: null, disable: null });
  });
});
