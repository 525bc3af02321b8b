import { maskHeaders, maskHeaderValue, mergeHeaderWrite } from './header-masking';

describe('custom header masking', () => {
  it('shows the last 4 characters of a long value, nothing of a short one', () => {
    expect(maskHeaderValue('Bearer sk_live_51H8abcd')).toBe('****abcd');
    expect(maskHeaderValue('short-val')).toBe('****');
    expect(maskHeaders({ Authorization: 'Bearer sk_live_51H8abcd', 'X-Tenant': 'acme' })).toEqual({ Authorization: '****abcd', 'X-Tenant': '****' });
  });

  it('keeps the stored value when the masked value is sent back, also under another letter case', () => {
    const stored = { Authorization: 'Bearer sk_live_51H8abcd', 'X-Tenant': 'acme' };
    expect(mergeHeaderWrite(stored, { authorization: '****abcd', 'X-Tenant': '****' })).toEqual({
      headers: { authorization: 'Bearer sk_live_51H8abcd', 'X-Tenant': 'acme' },
      errors: [],
    });
  });

  it('replaces a value only with a real one, drops headers left out, adds new ones', () => {
    const stored = { Authorization: 'Bearer sk_live_51H8abcd', 'X-Old': 'gone-value' };
    expect(mergeHeaderWrite(stored, { Authorization: 'Bearer rotated_token_wxyz', 'X-New': 'fresh' })).toEqual({
      headers: { Authorization: 'Bearer rotated_token_wxyz', 'X-New': 'fresh' },
      errors: [],
    });
  });

  it('refuses a masked value that matches nothing stored instead of storing the mask', () => {
    expect(mergeHeaderWrite({ Authorization: 'Bearer sk_live_51H8abcd' }, { Authorization: '****zzzz', 'X-Copied': '****' })).toEqual({
      headers: {},
      errors: [
        { field: 'headers.Authorization', reason: 'is a masked value that matches no stored value: send the real value' },
        { field: 'headers.X-Copied', reason: 'is a masked value that matches no stored value: send the real value' },
      ],
    });
  });
});
