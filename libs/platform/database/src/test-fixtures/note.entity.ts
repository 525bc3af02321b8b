import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A throwaway entity that proves the DataSource factory on both engines. */
@Entity({ name: 'fixture_note' })
export class NoteEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'bigint', default: 0 })
  views!: string;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  meta!: Record<string, unknown>;

  @Column({ type: 'boolean', default: true })
  visible!: boolean;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
