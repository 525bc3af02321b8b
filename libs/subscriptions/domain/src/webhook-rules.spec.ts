import { checkName, isOperationalSelection, normalizeName } from './webhook-rules';

describe('webhook rules outside a request body', () => {
  it('checks a name as the API does, under the field it is given', () => {
    expect(checkName('Orders')).toEqual([]);
    expect(checkName('  ', 'workspaceName')).toEqual([{ field: 'workspaceName', reason: 'is required' }]);
    expect(checkName(undefined, 'adminName')).toEqual([{ field: 'adminName', reason: 'is required' }]);
    expect(checkName('x'.repeat(121))[0]!.reason).toMatch(/at most 120/);
  });

  it('tells the operational endpoint by its selection (operational events only)', () => {
    expect(isOperationalSelection(['webhook.disabled'])).toBe(true);
    expect(isOperationalSelection(['contact.created'])).toBe(false);
    expect(isOperationalSelection('*')).toBe(false);
  });

  it('compares names trimmed and case-insensitively', () => {
    expect(normalizeName(' Orders ')).toBe(normalizeName('orders'));
  });
});
