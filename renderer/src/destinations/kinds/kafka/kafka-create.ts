import type { StreamSpec } from '../../../../../shared/ipc/channels/streams';
import { num, type CreateTargetForm } from '../shared/create-target-form';

export const RETENTION: { label: string; ms: number | undefined }[] = [
  { label: "The cluster's default", ms: undefined },
  { label: '1 hour', ms: 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '7 days', ms: 7 * 86_400_000 },
  { label: '30 days', ms: 30 * 86_400_000 },
  { label: 'For ever', ms: -1 },
];

/** The topic to create. */
export function topicSpec(f: CreateTargetForm): StreamSpec {
  const ms = RETENTION[f.retention]?.ms;
  return {
    kind: 'kafka',
    topic: f.name.trim(),
    partitions: num(f.partitions),
    replicationFactor: num(f.replicationFactor),
    ...(ms !== undefined ? { retentionMs: ms } : {}),
  };
}
