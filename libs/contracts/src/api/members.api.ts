import { z } from 'zod';
import { apiShape } from './api-schema';
import { MEMBER_ROLES, MEMBER_STATUSES } from './workspace-access';

export const MEMBER = apiShape(
  'MemberDto',
  z.object({
    id: z.string().meta({ example: 'mem_01JN8EY4M01Q2JXEXGJAGNSW68' }),
    userId: z.string(),
    displayName: z.string(),
    role: z.enum(MEMBER_ROLES),
    teamIds: z.array(z.string()),
    status: z.enum(MEMBER_STATUSES),
  }),
);
export type Member = z.infer<typeof MEMBER>;

/** `GET /v1/members`. */
export const MEMBER_LIST = apiShape('MemberListDto', z.object({ data: z.array(MEMBER) }));
export type MemberList = z.infer<typeof MEMBER_LIST>;
