import { CONVERSATION_RECORDED } from '../catalog/conversation/conversation.events';
import { ACCESS_SCHEMA } from './access';
import { resolveDefaultAccess } from './default-access';
import { validateAgainst } from '../validation/schema-validator';

describe('resolveDefaultAccess', () => {
  const data = CONVERSATION_RECORDED.example;

  it('maps workspace and admin defaults directly', () => {
    expect(resolveDefaultAccess('workspace', data)).toEqual({ scope: 'workspace' });
    expect(resolveDefaultAccess('admin', data)).toEqual({ scope: 'admin' });
  });

  it('makes a workspace-visible conversation workspace-wide', () => {
    const open = { ...data, conversation: { ...data.conversation, visibility: 'workspace' } };
    expect(resolveDefaultAccess('participants', open)).toEqual({ scope: 'workspace' });
  });

  it('restricts a private conversation to owner, internal participants and shares, without duplicates', () => {
    const shared = {
      ...data,
      conversation: { ...data.conversation, sharedWithUserIds: ['usr_01JNCZ4CW02XHA5Z9NNT3JRCXJ', 'usr_01JN96Z600Q5CGWQT5XDV1KWX9'] },
    };
    expect(resolveDefaultAccess('participants', shared)).toEqual({
      scope: 'restricted',
      userIds: ['usr_01JN96Z600Q5CGWQT5XDV1KWX9', 'usr_01JNCZ4CW02XHA5Z9NNT3JRCXJ', 'usr_01JN9Z07C09WZYQC0YGKEVJGTP'],
      teamIds: ['team_01JNDQ5E80S8QXPN12HE6FZNP9'],
    });
  });

  it('fails closed (admin-only) when there is no conversation to read', () => {
    expect(resolveDefaultAccess('participants', {})).toEqual({ scope: 'admin' });
  });
});

describe('ACCESS_SCHEMA', () => {
  it.each([[{ scope: 'workspace' }], [{ scope: 'admin' }], [{ scope: 'restricted', userIds: [], teamIds: [] }]])(
    'accepts %j',
    (access) => expect(validateAgainst(ACCESS_SCHEMA, access).ok).toBe(true),
  );

  it('rejects lists on a workspace access', () => {
    expect(validateAgainst(ACCESS_SCHEMA, { scope: 'workspace', userIds: [] })).toEqual({
      ok: false,
      errors: [{ path: '', reason: "must NOT have additional property 'userIds'" }],
    });
  });
});
