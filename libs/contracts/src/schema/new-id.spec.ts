import { ID_PREFIXES } from './ids';
import { newId } from './new-id';
import { compileSchema } from '../validation/schema-validator';
import { prefixedIdSchema } from './json-schema';

describe('newId', () => {
  it('is the kind’s prefix and 26 Crockford characters, unique', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId('subscription')));
    expect(ids.size).toBe(1000);
    for (const id of ids) expect(id).toMatch(/^sub_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('makes ids the contracts’ own id schemas accept, for every kind', () => {
    for (const kind of Object.keys(ID_PREFIXES) as (keyof typeof ID_PREFIXES)[]) {
      const validate = compileSchema(prefixedIdSchema(ID_PREFIXES[kind]));
      expect(validate(newId(kind))).toBe(true);
    }
  });

  it('sorts by creation time', () => {
    const earlier = newId('event', Date.UTC(2026, 0, 1));
    const later = newId('event', Date.UTC(2026, 0, 2));
    expect(earlier < later).toBe(true);
  });
});
