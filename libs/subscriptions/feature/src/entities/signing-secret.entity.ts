import { Column, Entity, PrimaryColumn } from 'typeorm';

/** `whsec_…`; the current one has no expiry, a rotated-out one signs too until `expiresAt`. */
@Entity({ name: 'signing_secrets' })
export class SigningSecretEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text', name: 'subscription_id' })
  subscriptionId!: string;

  @Column({ type: 'text' })
  secret!: string;

  @Column({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true })
  expiresAt!: Date | null;
}
