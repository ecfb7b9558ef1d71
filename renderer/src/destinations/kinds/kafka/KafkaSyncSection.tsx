import type { SyncSectionProps } from '../types';

/** The sync form's Kafka settings: removals as tombstones, and the sync's topic. */
export function KafkaSyncSection({ destination, form, set }: SyncSectionProps<'kafka'>) {
  return (
    <fieldset className="group">
      <legend>Kafka</legend>
      <label className="check option">
        <input type="checkbox" checked={form.kafkaTombstones} onChange={(e) => set('kafkaTombstones', e.target.checked)} />
        <span>
          <strong>Send removals as tombstones</strong>{' '}
          <span className="muted">A removed row is sent as its key with a null value, so a compacted topic forgets it.</span>
        </span>
      </label>
      {form.kafkaTombstones && !form.triggers.includes('removed') && <p className="hint small">Tombstones need the “Removed rows” event.</p>}
      <label className="field">
        <span>
          Topic{destination.topic ? ` (empty: the destination's topic, ${destination.topic})` : ' (required: the destination has no topic of its own)'}
        </span>
        <input aria-label="Topic" value={form.kafkaTopic} placeholder={destination.topic ?? 'topic name'} onChange={(e) => set('kafkaTopic', e.target.value)} />
      </label>
    </fieldset>
  );
}
