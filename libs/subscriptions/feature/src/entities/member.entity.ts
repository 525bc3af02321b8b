import type { MemberRole, MemberStatus } from '@harmony/subscriptions/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A Harmony user in a workspace, kept in sync from user.* events. */
@Entity({ name: 'members' })
export class MemberEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'workspace_id' })
  workspaceId!: string;

  @Column({ type: 'text', name: 'user_id' })
  userId!: string;

  @Column({ type: 'text', name: 'display_name' })
  displayName!: string;

  @Column({ type: 'text' })
  role!: MemberRole;

  @Column({ type: 'jsonb', name: 'team_ids' })
  teamIds!: string[];

  @Column({ type: 'text' })
  status!: MemberStatus;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
