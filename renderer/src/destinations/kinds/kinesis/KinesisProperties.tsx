import type { Column } from '../../../../../shared/config/source';
import { SEGMENT_PARTITION_KEY, type PartitionKey } from '../../../../../shared/config/sync';
import type { MessageProps } from '../../../views/payload/message-props';
import { SourceInput } from '../shared/SourceInput';

/** Segment's Kinesis partition key, userId then anonymousId, with the model's columns of those names (any case, `_` or not). */
function segmentColumns(columns: Column[]): string[] {
  const named = (want: string) => columns.find((c) => c.name.replace(/_/g, '').toLowerCase() === want.toLowerCase())?.name ?? '';
  return SEGMENT_PARTITION_KEY.kind === 'first-present' ? SEGMENT_PARTITION_KEY.columns.map(named) : [];
}

function FirstPresentInput({ value, columns, onChange }: { value: string[]; columns: Column[]; onChange: (columns: string[]) => void }) {
  return (
    <div className="row" role="group" aria-label="Partition key columns">
      {value.map((name, i) => (
        <span className="row" key={i}>
          {i > 0 && <span className="muted">else</span>}
          <select aria-label={`Partition key column ${i + 1}`} value={name} onChange={(e) => onChange(value.map((x, j) => (j === i ? e.target.value : x)))}>
            <option value="">Column…</option>
            {columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name} ({c.type})
              </option>
            ))}
          </select>
          {value.length > 1 && (
            <button
              type="button"
              className="ghost"
              aria-label={`Remove partition key column ${i + 1}`}
              onClick={() => onChange(value.filter((_, j) => j !== i))}
            >
              ×
            </button>
          )}
        </span>
      ))}
      {value.length < 10 && (
        <button type="button" className="ghost" onClick={() => onChange([...value, ''])}>
          Add column
        </button>
      )}
    </div>
  );
}

/** A new partition key of the kind chosen, with its default. */
function newPartitionKey(kind: PartitionKey['kind'], columns: Column[]): PartitionKey {
  if (kind === 'column') return { kind, column: '' };
  if (kind === 'template') return { kind, template: '{{ row.id }}' };
  if (kind === 'first-present') return { kind, columns: segmentColumns(columns) };
  return { kind };
}

interface Props {
  value: MessageProps;
  columns: Column[];
  onChange: (v: MessageProps) => void;
}

function PartitionKeyFields({ value, columns, onChange }: Props) {
  const pk = value.partitionKey;
  return (
    <>
      <div className="row">
        <label className="field">
          <span>Partition key</span>
          <select
            aria-label="Partition key"
            value={pk.kind}
            onChange={(e) => onChange({ ...value, partitionKey: newPartitionKey(e.target.value as PartitionKey['kind'], columns) })}
          >
            <option value="primary-key">Primary key (default)</option>
            <option value="column">A column</option>
            <option value="template">A template</option>
            <option value="first-present">First column with a value (Segment: userId, else anonymousId)</option>
            <option value="message-id">Message id (even spread)</option>
          </select>
        </label>
        {(pk.kind === 'column' || pk.kind === 'template') && (
          <SourceInput label="Partition key" value={pk} columns={columns} onChange={(s) => onChange({ ...value, partitionKey: s })} />
        )}
        {pk.kind === 'first-present' && (
          <FirstPresentInput
            value={pk.columns}
            columns={columns}
            onChange={(c) => onChange({ ...value, partitionKey: { kind: 'first-present', columns: c } })}
          />
        )}
      </div>
      {pk.kind === 'first-present' && (
        <p className="muted small">
          The first of these columns that is not null or empty keys the record; a row where none has a value is not sent (Kinesis refuses an empty partition
          key) and is listed under the run’s rows not sent.
        </p>
      )}
      {pk.kind === 'message-id' && (
        <p className="muted small">
          Each record gets its own key (MD5 of run id + row key), so records spread evenly over the shards — the fix for hot shards, at the cost of no
          per-entity order across runs.
        </p>
      )}
    </>
  );
}

function ExplicitHashKeyFields({ value, columns, onChange }: Props) {
  const hk = value.explicitHashKey;
  return (
    <div className="row">
      <label className="field">
        <span>Explicit hash key</span>
        <select
          aria-label="Explicit hash key"
          value={hk?.kind ?? 'none'}
          onChange={(e) => {
            const kind = e.target.value;
            onChange({ ...value, explicitHashKey: kind === 'column' ? { kind, column: '' } : kind === 'template' ? { kind, template: '' } : undefined });
          }}
        >
          <option value="none">None (MD5 of the partition key)</option>
          <option value="column">A column</option>
          <option value="template">A template</option>
        </select>
      </label>
      {hk && (
        <SourceInput
          label="Explicit hash key"
          value={hk}
          columns={columns}
          onChange={(s) => onChange({ ...value, explicitHashKey: s })}
          placeholder="a decimal from 0 to 2^128−1"
        />
      )}
    </div>
  );
}

/** A Kinesis record's partition key and explicit hash key (the sandbox's too). */
export function KinesisProperties(props: Props) {
  return (
    <>
      <PartitionKeyFields {...props} />
      <ExplicitHashKeyFields {...props} />
    </>
  );
}
