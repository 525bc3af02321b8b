import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OutboxRelay } from '../outbox/outbox.relay';

/**
 * Transactions across repositories: a use case passes the manager to each
 * repository call, so its writes and their outbox rows commit together or not
 * at all. What a transaction throws is the caller's to interpret.
 */
@Injectable()
export class Transactions {
  constructor(
    private readonly dataSource: DataSource,
    private readonly relay: OutboxRelay,
  ) {}

  /** One transaction; the caller relays its outbox rows (`relayNow`) if it wrote any. */
  run<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** One transaction that publishes (outbox rows): relayed as soon as it committed. */
  async publishing<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const result = await this.dataSource.transaction(work);
    this.relay.kick();
    return result;
  }

  /** Relay committed outbox rows now rather than at the relay's next tick. */
  relayNow(): void {
    this.relay.kick();
  }
}
