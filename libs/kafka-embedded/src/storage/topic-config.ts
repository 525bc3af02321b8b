/**
 * Topic-level configs this broker acts on (Kafka names and defaults). Any
 * other config a client sets is accepted, persisted and ignored.
 */
export const TOPIC_CONFIG_DEFAULTS: Readonly<Record<string, string>> = {
  'cleanup.policy': 'delete',
  'retention.ms': '604800000',
  'retention.bytes': '-1',
  'segment.bytes': '1073741824',
  'segment.ms': '604800000',
  'delete.retention.ms': '86400000',
  'max.message.bytes': '1048588',
};

const NUMERIC = new Set(['retention.ms', 'retention.bytes', 'segment.bytes', 'segment.ms', 'delete.retention.ms', 'max.message.bytes']);
const MIN_SEGMENT_BYTES = 1024;

export interface EffectiveTopicConfig {
  compact: boolean;
  delete: boolean;
  /** -1 = keep forever. */
  retentionMs: number;
  /** -1 = no size limit. */
  retentionBytes: number;
  segmentBytes: number;
  segmentMs: number;
  deleteRetentionMs: number;
  maxMessageBytes: number;
}

/** Why a config value is refused (INVALID_CONFIG), or null. */
export function configProblem(name: string, value: string | null): string | null {
  if (value === null) return null;
  if (NUMERIC.has(name) && !/^-?\d+$/.test(value.trim())) return `${name} must be an integer, got "${value}"`;
  if (name === 'segment.bytes' && Number(value) < MIN_SEGMENT_BYTES) return `segment.bytes must be at least ${MIN_SEGMENT_BYTES}`;
  if (name === 'cleanup.policy') {
    const parts = value.split(',').map((p) => p.trim());
    if (!parts.every((p) => p === 'delete' || p === 'compact')) return `cleanup.policy must be delete and/or compact, got "${value}"`;
  }
  return null;
}

export function effectiveConfig(configs: Readonly<Record<string, string>>): EffectiveTopicConfig {
  const get = (name: string): string => configs[name] ?? TOPIC_CONFIG_DEFAULTS[name];
  const num = (name: string): number => {
    const v = Number(get(name));
    return Number.isFinite(v) ? v : Number(TOPIC_CONFIG_DEFAULTS[name]);
  };
  const policy = get('cleanup.policy').split(',').map((p) => p.trim());
  return {
    compact: policy.includes('compact'),
    delete: policy.includes('delete'),
    retentionMs: num('retention.ms'),
    retentionBytes: num('retention.bytes'),
    segmentBytes: Math.max(MIN_SEGMENT_BYTES, num('segment.bytes')),
    segmentMs: num('segment.ms'),
    deleteRetentionMs: num('delete.retention.ms'),
    maxMessageBytes: num('max.message.bytes'),
  };
}
