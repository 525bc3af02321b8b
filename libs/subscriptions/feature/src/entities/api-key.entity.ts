import type { ApiKeyScope } from '@harmony/subscriptions/domain';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Only the sha256 of a key is stored; the key itself is shown once. */
@Entity({ name: 'api_keys' })
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'workspace_id' })
  workspaceId!: string;

  @Column({ type: 'text', name: 'member_id' })
  memberId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', name: 'display_prefix' })
  displayPrefix!: string;

  @Column({ type: 'text', name: 'key_hash' })
  keyHash!: string;

  @Column({ type: 'jsonb' })
  scopes!: ApiKeyScope[];

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
