import { useModelPreview } from '../../../api/queries';
import { ColumnSelect } from '../../../components/ColumnSelect';
import type { SyncSectionProps } from '../types';
import { topicMode, type KafkaTopicMode } from './kafka-sync';

/**
 * The model's columns to pick a row's topic from; a text field when they cannot be read (the source is away).
 * While they are read, a list not yet to choose from (a text field there was replaced under the user's typing).
 */
function TopicColumn({ model, value, onChange }: { model: string; value: string; onChange: (column: string) => void }) {
  const preview = useModelPreview(model ? { name: model } : undefined, 1);
  const columns = preview.data?.columns;
  return (
    <label className="field">
      <span>Column</span>
      {columns ? (
        <ColumnSelect label="Topic column" value={value} columns={columns} onChange={onChange} />
      ) : model && preview.isPending ? (
        <select aria-label="Topic column" disabled value="">
          <option value="">Reading the model’s columns…</option>
        </select>
      ) : (
        <input aria-label="Topic column" className="mono" value={value} placeholder="topic" onChange={(e) => onChange(e.target.value)} />
      )}
    </label>
  );
}

/**
 * The sync form's Kafka settings: removals as tombstones, and the sync's topic — the destination's, a
 * fixed one, or each row's from a column or a template. A row's topic needs no topic of the destination
 * (as a run needs none: a row whose topic is empty is not sent), so it can be chosen for a destination
 * without one; a fixed topic is required there otherwise.
 */
export function KafkaSyncSection({ destination, form, set }: SyncSectionProps<'kafka'>) {
  const mode = topicMode(form, destination);
  const perRow = mode === 'column' || mode === 'template';
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
      <div className="row">
        <label className="field">
          <span>Topic</span>
          <select aria-label="Topic from" value={mode} onChange={(e) => set('kafkaTopicMode', e.target.value as KafkaTopicMode)}>
            {destination.topic && <option value="destination">The destination’s topic ({destination.topic})</option>}
            <option value="fixed">A fixed topic</option>
            <option value="column">Each row’s topic, from a column</option>
            <option value="template">Each row’s topic, from a template</option>
          </select>
        </label>
        {mode === 'fixed' && (
          <label className="field">
            <span>Topic name{destination.topic ? '' : ' (required: the destination has no topic of its own)'}</span>
            <input aria-label="Topic" value={form.kafkaTopic} placeholder="topic name" onChange={(e) => set('kafkaTopic', e.target.value)} />
          </label>
        )}
        {mode === 'column' && <TopicColumn model={form.model} value={form.kafkaTopicColumn} onChange={(c) => set('kafkaTopicColumn', c)} />}
        {mode === 'template' && (
          <label className="field grow">
            <span>Template</span>
            <input
              aria-label="Topic template"
              className="mono"
              value={form.kafkaTopicTemplate}
              placeholder="orders-{{ row.region }}"
              onChange={(e) => set('kafkaTopicTemplate', e.target.value)}
            />
          </label>
        )}
      </div>
      {perRow && (
        <p className="muted small" data-testid="topic-per-row">
          Each row goes to the topic its {mode === 'column' ? 'column holds' : 'template gives'}; a row whose topic is null or empty is not sent (it is listed
          with the run’s rows not sent).{' '}
          {destination.topic ? `The destination’s topic (${destination.topic}) is not used.` : 'No topic of the destination is needed.'}
        </p>
      )}
    </fieldset>
  );
}
