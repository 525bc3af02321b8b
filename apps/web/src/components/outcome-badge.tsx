const LABELS: Record<string, string> = {
  success: 'Delivered',
  failure: 'Failed',
  exhausted: 'Gave up',
  dropped: 'Dropped',
  deferred: 'Deferred',
  // Logged before the request; still here after the timeout means the worker stopped mid-request.
  sending: 'Sending (outcome unknown)',
};

/** An attempt's outcome as text plus colour (never colour alone). */
export function OutcomeBadge({ outcome, status, errorCode }: { outcome: string; status?: number | null; errorCode?: string | null }) {
  const label = LABELS[outcome] ?? outcome;
  const detail = status ? String(status) : errorCode ? errorCode.replace(/_/g, ' ') : null;
  return (
    <span className={`badge badge-${outcome}`}>
      {label}
      {detail ? ` · ${detail}` : ''}
    </span>
  );
}
