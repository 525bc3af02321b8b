/* Display helpers shared by the views. */

export function formatTime(iso: string | null): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** "3 min ago" for recent times, the date otherwise. */
export function formatAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return formatTime(iso);
}

/** `datetime-local` input value (local time, minutes) for an ISO time. */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** `total`: Harmony's event types; an operational endpoint's events are counted apart. */
export function eventsSummary(events: '*' | string[], total: number, operational = false): string {
  if (events === '*') return 'All events';
  if (operational) return `${events.length} operational event${events.length === 1 ? '' : 's'}`;
  return `${events.length} of ${total} event${total === 1 ? '' : 's'}`;
}

/** A success rate (0–1) as a percentage: "100%", "99.5%"; "—" without attempts. */
export function formatRate(rate: number | null): string {
  if (rate === null) return '—';
  return `${Math.floor(rate * 1000) / 10}%`;
}

/** A response time: "231 ms", "1.4 s"; "—" when there is none. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
