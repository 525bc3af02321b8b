// No imports: the page (apps/web) uses these through @harmony/contracts/api.

/** Roles as Harmony sends them in user.* events; `owner` counts as admin. */
export const MEMBER_ROLES = ['owner', 'admin', 'member'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

export const MEMBER_STATUSES = ['active', 'deactivated', 'removed'] as const;
export type MemberStatus = (typeof MEMBER_STATUSES)[number];

/** What an API key may do; a key never exceeds its member's role. */
export const API_KEY_SCOPES = ['webhooks:read', 'webhooks:write', 'events:publish'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
