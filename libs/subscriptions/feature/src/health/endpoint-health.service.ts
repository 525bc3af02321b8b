import { Injectable } from '@nestjs/common';
import type { EndpointHealth, EndpointHealthSummary, HealthWindow } from '@harmony/contracts';
import { type Actor, responseTimeQuantile } from '@harmony/subscriptions/domain';
import { WebhooksService } from '../webhooks/webhooks.service';
import { type CurrentHealth, type HealthCounts, EndpointHealthRepository } from './endpoint-health.repository';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** Endpoint health from the delivery log's rollup: one webhook in full, or a list page's summaries. */
@Injectable()
export class EndpointHealthService {
  constructor(
    private readonly webhooks: WebhooksService,
    private readonly health: EndpointHealthRepository,
  ) {}

  /** One webhook's health (404/403 as for the webhook itself). */
  async forWebhook(actor: Actor, subscriptionId: string, now = new Date()): Promise<EndpointHealth> {
    await this.webhooks.get(actor, subscriptionId);
    const windows = windowsAt(now);
    const [counts, current] = await Promise.all([
      this.health.counts(actor.workspaceId, [subscriptionId], windows.week, windows.day),
      this.health.current(actor.workspaceId, [subscriptionId]),
    ]);
    return {
      webhookId: subscriptionId,
      last24h: toWindow(windows.day, counts, 'recent'),
      last7d: toWindow(windows.week, counts, 'total'),
      ...currentView(current.get(subscriptionId)),
    };
  }

  /** Summaries of webhooks the caller already listed (so may see), by id. */
  async summaries(actor: Actor, subscriptionIds: string[], now = new Date()): Promise<Map<string, EndpointHealthSummary>> {
    const windows = windowsAt(now);
    const [counts, current] = await Promise.all([
      this.health.counts(actor.workspaceId, subscriptionIds, windows.day, windows.day),
      this.health.current(actor.workspaceId, subscriptionIds),
    ]);
    const bySubscription = new Map<string, HealthCounts[]>();
    for (const row of counts) bySubscription.set(row.subscriptionId, [...(bySubscription.get(row.subscriptionId) ?? []), row]);
    return new Map(
      subscriptionIds.map((id) => [id, { last24h: toWindow(windows.day, bySubscription.get(id) ?? [], 'total'), ...currentView(current.get(id)) }]),
    );
  }
}

/** Windows start on the hour (the rollup's grain): at least 24 h / 7 d, at most one hour more. */
function windowsAt(now: Date): { day: Date; week: Date } {
  const hour = (time: number): Date => new Date(Math.floor(time / HOUR_MS) * HOUR_MS);
  return { day: hour(now.getTime() - DAY_MS), week: hour(now.getTime() - 7 * DAY_MS) };
}

function toWindow(from: Date, rows: HealthCounts[], part: 'recent' | 'total'): HealthWindow {
  let succeeded = 0;
  let failed = 0;
  let deferred = 0;
  const histogram = new Map<number, number>();
  for (const row of rows) {
    const entries = row[part];
    if (entries === 0) continue;
    if (row.outcome === 'deferred') {
      deferred += entries;
      continue;
    }
    if (row.outcome === 'success') succeeded += entries;
    else failed += entries;
    histogram.set(row.bucket, (histogram.get(row.bucket) ?? 0) + entries);
  }
  const attempts = succeeded + failed;
  return {
    from: from.toISOString(),
    attempts,
    succeeded,
    failed,
    deferred,
    successRate: attempts === 0 ? null : succeeded / attempts,
    responseTimeMs: { p50: responseTimeQuantile(histogram, 0.5), p95: responseTimeQuantile(histogram, 0.95) },
  };
}

function currentView(current: CurrentHealth | undefined): Pick<EndpointHealthSummary, 'breaker' | 'lastError'> {
  return {
    breaker: { state: current?.breakerState ?? null, asOf: current?.breakerAt?.toISOString() ?? null },
    lastError: current?.lastError ?? null,
  };
}
