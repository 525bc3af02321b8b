import { type EventEnvelope, isOperationalEventType, type SubscriptionRecord, type SubscriptionRecordValue } from '@harmony/contracts';
import { ownerMaySee } from '@harmony/webhooks/domain';

export interface SubscriptionMatch {
  /** Enabled subscriptions of the event's workspace that selected its type (or all) and whose owner may see it. */
  subscriptions: SubscriptionRecord[];
  /** Subscriptions that selected the event but whose owner may not see it. */
  droppedForPermission: number;
  /** Index entries looked at: only the workspace's subscriptions for this type and for all types. */
  candidatesChecked: number;
}

export type UpsertResult = 'added' | 'updated' | 'stale';

interface WorkspaceBucket {
  byType: Map<string, Map<string, SubscriptionRecord>>;
  allTypes: Map<string, SubscriptionRecord>;
}

/**
 * Fan-out's in-memory view of `webhooks.subscriptions`: workspace → event type
 * (and "all types") → enabled subscriptions. Disabled subscriptions are held
 * by id only, so matching touches exactly the candidates that selected the
 * event in its workspace, whatever the size of the rest of the index.
 */
export class SubscriptionIndex {
  private readonly byId = new Map<string, SubscriptionRecord>();
  private readonly byWorkspace = new Map<string, WorkspaceBucket>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): SubscriptionRecord | undefined {
    return this.byId.get(id);
  }

  /** A value from the compacted topic: a record, or `null` (tombstone) for a deleted subscription. */
  apply(id: string, value: SubscriptionRecordValue): UpsertResult | 'removed' | 'absent' {
    if (value === null) return this.remove(id) ? 'removed' : 'absent';
    return this.upsert(value);
  }

  /** Adds or replaces a subscription; a record older than the one held is ignored. */
  upsert(record: SubscriptionRecord): UpsertResult {
    const previous = this.byId.get(record.id);
    if (previous && record.version < previous.version) return 'stale';
    if (previous) this.unplace(previous);
    this.byId.set(record.id, record);
    if (record.enabled) this.place(record);
    return previous ? 'updated' : 'added';
  }

  remove(id: string): boolean {
    const previous = this.byId.get(id);
    if (!previous) return false;
    this.unplace(previous);
    this.byId.delete(id);
    return true;
  }

  match(event: Pick<EventEnvelope, 'workspaceId' | 'type' | 'access'>): SubscriptionMatch {
    const result: SubscriptionMatch = { subscriptions: [], droppedForPermission: 0, candidatesChecked: 0 };
    const bucket = this.byWorkspace.get(event.workspaceId);
    if (!bucket) return result;
    // '*' means every Harmony event: operational events reach only the endpoint that selected them.
    const allTypes = isOperationalEventType(event.type) ? undefined : bucket.allTypes;
    for (const candidates of [bucket.byType.get(event.type), allTypes]) {
      if (!candidates) continue;
      for (const subscription of candidates.values()) {
        result.candidatesChecked += 1;
        if (ownerMaySee(subscription.owner, event)) result.subscriptions.push(subscription);
        else result.droppedForPermission += 1;
      }
    }
    return result;
  }

  private place(record: SubscriptionRecord): void {
    let bucket = this.byWorkspace.get(record.workspaceId);
    if (!bucket) {
      bucket = { byType: new Map(), allTypes: new Map() };
      this.byWorkspace.set(record.workspaceId, bucket);
    }
    if (record.eventTypes === '*') {
      bucket.allTypes.set(record.id, record);
      return;
    }
    for (const type of new Set(record.eventTypes)) {
      let holders = bucket.byType.get(type);
      if (!holders) {
        holders = new Map();
        bucket.byType.set(type, holders);
      }
      holders.set(record.id, record);
    }
  }

  private unplace(record: SubscriptionRecord): void {
    const bucket = this.byWorkspace.get(record.workspaceId);
    if (!bucket) return;
    bucket.allTypes.delete(record.id);
    if (record.eventTypes !== '*') {
      for (const type of record.eventTypes) {
        const holders = bucket.byType.get(type);
        if (!holders) continue;
        holders.delete(record.id);
        if (holders.size === 0) bucket.byType.delete(type);
      }
    }
    // Drop empty buckets so a churn of workspaces does not leave the map growing.
    if (bucket.allTypes.size === 0 && bucket.byType.size === 0) this.byWorkspace.delete(record.workspaceId);
  }
}
