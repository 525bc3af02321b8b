import { newId } from './ids';

describe('newId', () => {
  it('is prefixed, 26 Crockford characters, and unique', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('sub')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^sub_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('sorts by creation time', () => {
    const earlier = newId('evt', Date.UTC(2026, 0, 1));
    const later = newId('evt', Date.UTC(2026, 0, 2));
    expect(earlier < later).toBe(true);
  });
});
