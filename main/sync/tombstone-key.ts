import type { Sync } from '../../shared/config/sync';
import { SluiceError } from '../../shared/ipc/errors';

/** Why the sync's Kafka key can never render non-empty, or null when it can (a column or a template with Liquid in it may). */
function keylessBecause(key: NonNullable<Sync['kafka']>['key']): string | null {
  if (key.kind === 'none') return 'the sync sends its records without one (kafka.key: none)';
  // Text without Liquid renders as itself, and the key is trimmed: blank text is an empty key for every row.
  if (key.kind === 'template' && key.template.trim() === '') return 'the key template is blank, so the key is empty for every row (kafka.key.template)';
  return null;
}

/**
 * Refuses a Kafka sync that sends removed rows as tombstones with a key that can never be there: a run
 * refuses every such removal ("a tombstone needs a key", `KafkaMessageRenderer`), so `sluice apply`, the
 * sync settings' save and the payload editor's save refuse it up front, naming the sync and both fields.
 * A sync that sends no removals sends no tombstones, and is let be.
 */
export function assertTombstonesKeyed(sync: Pick<Sync, 'name' | 'triggers' | 'kafka'>): void {
  const kafka = sync.kafka;
  if (!kafka?.tombstones || !sync.triggers.includes('removed')) return;
  const why = keylessBecause(kafka.key);
  if (why === null) return;
  const fix = 'choose a key (the primary key, a column or a template), or turn tombstones off';
  throw new SluiceError(
    'invalid-input',
    `The sync "${sync.name}" sends removed rows as Kafka tombstones (kafka.tombstones: true), and a tombstone needs a key, but ${why}: every removed row would be refused. Choose a key, or turn tombstones off`,
    [
      { path: 'kafka.tombstones', message: `A tombstone needs a key: ${fix}` },
      { path: 'kafka.key', message: `A tombstone needs a key, and ${why}: ${fix}` },
    ],
  );
}
