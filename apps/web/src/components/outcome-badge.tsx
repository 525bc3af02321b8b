const LABELS: Record<string, string> = {
  success: 'Delivered',
  failure: 'Failed',
  exhausted: 'Gave up',
  dropped: 'Dropped',
  deferred: 'Deferred',
};

/** An attempt's outcome as text plus colour (never colour alone). */
export function OutcomeBadge({ outcome, status }: { outcome: string; status?: number | null }) {
  const label = LABELS[outcome] ?? outcome;
  return (
    <span className={`badge badge-${outcome}`}>
      {label}
      {status ? ` · ${status}` : ''}
    </span>
  );
}
