import { useLiveState } from './use-live';

const LABELS = { live: 'Live', connecting: 'Connecting…', down: 'Offline: refreshing every few seconds' } as const;

/** Whether the page updates as things happen, or falls back to refreshing. */
export function LiveIndicator() {
  const state = useLiveState();
  return (
    <span className={`live-indicator live-${state}`} data-testid="live-state" title={state === 'live' ? 'Changes appear as they happen' : undefined}>
      {LABELS[state]}
    </span>
  );
}
