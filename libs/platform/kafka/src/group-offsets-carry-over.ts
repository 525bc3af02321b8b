import type { Admin } from 'kafkajs';
import type { Logger } from '@harmony/platform-observability';

/** A consumer group a new one replaces, and the topics it consumed. */
export interface FormerGroup {
  groupId: string;
  topics: string[];
}

/** How long a carry-over waits for another process copying the same offsets (its group is busy meanwhile). */
const BUSY_WAIT_MS = 60_000;
const BUSY_RETRY_MS = 500;

/**
 * Before `groupId` joins for the first time, copies the committed offsets of
 * the groups it replaces, so consumption goes on where they stopped: nothing
 * they committed is consumed again, nothing they had not is skipped. Per
 * partition, and only where `groupId` has no committed offset yet — once the
 * new group has committed (or the copy was made), later starts change nothing,
 * and a copy interrupted half-way is finished by the next start.
 *
 * Safe when several processes start at once: each copies the same offsets;
 * kafkajs's `setOffsets` joins the group for a moment and refuses while the
 * group has members, so a process that finds the group busy (another one is
 * copying, or already consuming after its copy) waits and looks again.
 * Returns the partitions copied.
 */
export async function carryOverOffsets(admin: Admin, groupId: string, former: FormerGroup[], logger: Logger): Promise<number> {
  const deadline = Date.now() + BUSY_WAIT_MS;
  for (;;) {
    const missing = await missingOffsets(admin, groupId, former);
    if (missing.length === 0) return 0;
    try {
      let copied = 0;
      for (const { topic, partitions } of missing) {
        await admin.setOffsets({ groupId, topic, partitions });
        copied += partitions.length;
      }
      logger.info({ groupId, from: former.map((group) => group.groupId), partitions: copied }, 'carried over the committed offsets of the groups this one replaces');
      return copied;
    } catch (error) {
      if (!isGroupBusy(error) || Date.now() > deadline) throw error;
      // Another process is copying or already consuming: its copy is the same; look again shortly.
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  }
}

/** Per topic, the former groups' committed offsets of the partitions `groupId` has none for. */
async function missingOffsets(admin: Admin, groupId: string, former: FormerGroup[]): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]> {
  const topics = [...new Set(former.flatMap((group) => group.topics))];
  const current = await admin.fetchOffsets({ groupId, topics });
  // Every start after the first: the new group has committed everywhere, the former groups need no look.
  if (current.every(({ partitions }) => partitions.every((p) => committed(p.offset)))) return [];
  const has = new Set(current.flatMap(({ topic, partitions }) => partitions.filter((p) => committed(p.offset)).map((p) => `${topic}/${p.partition}`)));
  const missing = new Map<string, { partition: number; offset: string }[]>();
  for (const group of former) {
    for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group.groupId, topics: group.topics })) {
      for (const { partition, offset } of partitions) {
        if (!committed(offset) || has.has(`${topic}/${partition}`)) continue;
        const list = missing.get(topic) ?? [];
        list.push({ partition, offset });
        missing.set(topic, list);
      }
    }
  }
  return [...missing].map(([topic, partitions]) => ({ topic, partitions }));
}

/** OffsetFetch answers -1 for a partition the group never committed. */
function committed(offset: string): boolean {
  return BigInt(offset) >= 0n;
}

function isGroupBusy(error: unknown): boolean {
  return error instanceof Error && /must have no running instances/.test(error.message);
}
