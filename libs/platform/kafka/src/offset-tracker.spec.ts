import { OffsetTracker } from './offset-tracker';

describe('OffsetTracker', () => {
  it('reports nothing until the first message is done', () => {
    const tracker = new OffsetTracker(['10', '11', '12']);
    tracker.finish('11');
    tracker.finish('12');
    expect(tracker.advance()).toBeNull();
  });

  it('moves over the finished prefix only, never past a message in flight', () => {
    const tracker = new OffsetTracker(['10', '11', '12', '13']);
    tracker.finish('10');
    tracker.finish('12');
    expect(tracker.advance()).toBe('10');
    expect(tracker.advance()).toBeNull();
    tracker.finish('11');
    expect(tracker.advance()).toBe('12');
    tracker.finish('13');
    expect(tracker.advance()).toBe('13');
  });

  it('copes with gaps left by compaction', () => {
    const tracker = new OffsetTracker(['3', '7', '20']);
    tracker.finish('7');
    tracker.finish('3');
    expect(tracker.advance()).toBe('7');
  });
});
