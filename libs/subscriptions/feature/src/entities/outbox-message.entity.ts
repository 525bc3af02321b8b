import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Kafka messages written in the same transaction as the change they announce;
 * the relay sends them in `seq` order and deletes them. A bigserial, not an
 * app-made id: the relay's order must be the commit order of one key's changes.
 */
@Entity({ name: 'outbox' })
export class OutboxMessageEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ type: 'text', name: 'message_key', nullable: true })
  key!: string | null;

  /** null = tombstone. */
  @Column({ type: 'text', nullable: true })
  value!: string | null;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
