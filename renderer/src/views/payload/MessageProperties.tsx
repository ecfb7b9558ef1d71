import type { Destination } from '../../../../shared/config/destination';
import type { Column } from '../../../../shared/config/source';
import { SEGMENT_PARTITION_KEY, type ExplicitHashKey, type FirehoseRouting, type KafkaMessage, type PartitionKey } from '../../../../shared/config/sync';

/** The message properties a sync sets besides its payload (Kinesis, Kafka or Firehose). */
export interface MessageProps {
  partitionKey: PartitionKey;
  explicitHashKey?: ExplicitHashKey;
  kafka?: KafkaMessage;
  firehose?: FirehoseRouting;
}

type Source = { kind: 'column'; column: string } | { kind: 'template'; template: string };

function SourceInput({
  label,
  value,
  columns,
  onChange,
  placeholder,
}: {
  label: string;
  value: Source;
  columns: Column[];
  onChange: (s: Source) => void;
  placeholder?: string;
}) {
  return value.kind === 'column' ? (
    <select aria-label={`${label} column`} value={value.column} onChange={(e) => onChange({ kind: 'column', column: e.target.value })}>
      <option value="">Column…</option>
      {columns.map((c) => (
        <option key={c.name} value={c.name}>
          {c.name} ({c.type})
        </option>
      ))}
    </select>
  ) : (
    <input
      aria-label={`${label} template`}
      className="mono"
      placeholder={placeholder}
      value={value.template}
      onChange={(e) => onChange({ kind: 'template', template: e.target.value })}
    />
  );
}

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

function KinesisProperties({ value, columns, onChange }: { value: MessageProps; columns: Column[]; onChange: (v: MessageProps) => void }) {
  const pk = value.partitionKey;
  const hk = value.explicitHashKey;
  return (
    <>
      <div className="row">
        <label className="field">
          <span>Partition key</span>
          <select
            aria-label="Partition key"
            value={pk.kind}
            onChange={(e) => {
              const kind = e.target.value as PartitionKey['kind'];
              onChange({
                ...value,
                partitionKey:
                  kind === 'column'
                    ? { kind, column: '' }
                    : kind === 'template'
                      ? { kind, template: '{{ row.id }}' }
                      : kind === 'first-present'
                        ? { kind, columns: segmentColumns(columns) }
                        : { kind },
              });
            }}
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
    </>
  );
}

const TRIGGERS = ['added', 'changed', 'removed'] as const;

/** A topic per trigger: added, changed and removed rows each to their own topic; empty → the topic above. */
function TopicByTrigger({ value, onChange }: { value: KafkaMessage['topicByTrigger']; onChange: (v: KafkaMessage['topicByTrigger']) => void }) {
  const set = (event: (typeof TRIGGERS)[number], topic: string) => {
    const next = { ...value, [event]: topic.trim() || undefined };
    onChange(TRIGGERS.some((t) => next[t]) ? Object.fromEntries(TRIGGERS.flatMap((t) => (next[t] ? [[t, next[t]]] : []))) : undefined);
  };
  return (
    <fieldset className="group" aria-label="Topic per trigger">
      <legend>Topic per trigger (optional)</legend>
      <p className="muted small">A row of that event goes to this topic instead of the one above.</p>
      <div className="row">
        {TRIGGERS.map((t) => (
          <label className="field" key={t}>
            <span>{t[0]!.toUpperCase() + t.slice(1)} rows</span>
            <input
              aria-label={`Topic for ${t} rows`}
              className="mono"
              placeholder="the topic above"
              value={value?.[t] ?? ''}
              onChange={(e) => set(t, e.target.value)}
            />
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function KafkaProperties({ value, columns, onChange }: { value: MessageProps; columns: Column[]; onChange: (v: MessageProps) => void }) {
  const kafka: KafkaMessage = value.kafka ?? { key: { kind: 'primary-key' }, headers: [], tombstones: false };
  const set = (k: Partial<KafkaMessage>) => onChange({ ...value, kafka: { ...kafka, ...k } });
  const key = kafka.key;
  const topic = kafka.topic;
  return (
    <>
      <div className="row">
        <label className="field">
          <span>Topic</span>
          <select
            aria-label="Kafka topic"
            value={topic?.kind ?? 'destination'}
            onChange={(e) => {
              const kind = e.target.value;
              set({
                topic:
                  kind === 'fixed' ? { kind, value: '' } : kind === 'column' ? { kind, column: '' } : kind === 'template' ? { kind, template: '' } : undefined,
              });
            }}
          >
            <option value="destination">The destination’s topic</option>
            <option value="fixed">A fixed topic</option>
            <option value="column">From a column</option>
            <option value="template">From a template</option>
          </select>
        </label>
        {topic?.kind === 'fixed' && (
          <input aria-label="Kafka topic name" value={topic.value} onChange={(e) => set({ topic: { kind: 'fixed', value: e.target.value } })} />
        )}
        {(topic?.kind === 'column' || topic?.kind === 'template') && (
          <SourceInput label="Kafka topic" value={topic} columns={columns} onChange={(s) => set({ topic: s })} />
        )}
      </div>
      <TopicByTrigger value={kafka.topicByTrigger} onChange={(topicByTrigger) => set({ topicByTrigger })} />
      <div className="row">
        <label className="field">
          <span>Key</span>
          <select
            aria-label="Kafka key"
            value={key.kind}
            onChange={(e) => {
              const kind = e.target.value;
              set({
                key:
                  kind === 'column'
                    ? { kind, column: '' }
                    : kind === 'template'
                      ? { kind, template: '' }
                      : kind === 'none'
                        ? { kind }
                        : { kind: 'primary-key' },
              });
            }}
          >
            <option value="primary-key">Primary key (default)</option>
            <option value="column">A column</option>
            <option value="template">A template</option>
            <option value="none">None (round-robin)</option>
          </select>
        </label>
        {(key.kind === 'column' || key.kind === 'template') && (
          <SourceInput label="Kafka key" value={key} columns={columns} onChange={(s) => set({ key: s })} />
        )}
      </div>
      <div className="row">
        <label className="field">
          <span>Partition (beats the key)</span>
          <select
            aria-label="Kafka partition"
            value={kafka.partition?.kind ?? 'none'}
            onChange={(e) =>
              set({
                partition:
                  e.target.value === 'column' ? { kind: 'column', column: '' } : e.target.value === 'template' ? { kind: 'template', template: '' } : undefined,
              })
            }
          >
            <option value="none">From the key</option>
            <option value="column">A column</option>
            <option value="template">A template</option>
          </select>
        </label>
        {kafka.partition && kafka.partition.kind !== 'fixed' && (
          <SourceInput label="Kafka partition" value={kafka.partition} columns={columns} onChange={(s) => set({ partition: s })} />
        )}
      </div>
      <div className="mapper">
        <span className="muted small">Headers (values are templates)</span>
        {kafka.headers.map((h, i) => (
          <div className="row" key={i}>
            <input
              aria-label={`Header name ${i + 1}`}
              value={h.name}
              onChange={(e) => set({ headers: kafka.headers.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })}
            />
            <input
              aria-label={`Header value ${i + 1}`}
              value={h.value}
              onChange={(e) => set({ headers: kafka.headers.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)) })}
            />
            <button
              type="button"
              className="ghost"
              aria-label={`Remove header ${i + 1}`}
              onClick={() => set({ headers: kafka.headers.filter((_, j) => j !== i) })}
            >
              ×
            </button>
          </div>
        ))}
        <div>
          <button type="button" className="ghost" onClick={() => set({ headers: [...kafka.headers, { name: '', value: '' }] })}>
            Add header
          </button>
        </div>
      </div>
    </>
  );
}

function FirehoseProperties({
  value,
  destination,
  columns,
  onChange,
}: {
  value: MessageProps;
  destination: Extract<Destination, { kind: 'firehose' }>;
  columns: Column[];
  onChange: (v: MessageProps) => void;
}) {
  const routing: FirehoseRouting = value.firehose ?? { routes: [{ match: '*', stream: destination.deliveryStream }], unmatched: 'skip' };
  const set = (r: Partial<FirehoseRouting>) => onChange({ ...value, firehose: { ...routing, ...r } });
  return (
    <div className="mapper">
      <div className="row">
        <label className="field">
          <span>Event name</span>
          <select
            aria-label="Event name"
            value={routing.eventName?.kind ?? 'none'}
            onChange={(e) =>
              set({
                eventName:
                  e.target.value === 'column' ? { kind: 'column', column: '' } : e.target.value === 'template' ? { kind: 'template', template: '' } : undefined,
              })
            }
          >
            <option value="none">Event type only (added / changed / removed)</option>
            <option value="column">From a column</option>
            <option value="template">From a template</option>
          </select>
        </label>
        {routing.eventName && <SourceInput label="Event name" value={routing.eventName} columns={columns} onChange={(s) => set({ eventName: s })} />}
      </div>
      <span className="muted small">
        Event name or type → delivery stream. * matches all; names compare case-insensitively, stream names exactly. The first matching row wins.
      </span>
      {routing.routes.map((r, i) => (
        <div className="row" key={i}>
          <input
            aria-label={`Event ${i + 1}`}
            placeholder="event name, added/changed/removed, or *"
            value={r.match}
            onChange={(e) => set({ routes: routing.routes.map((x, j) => (j === i ? { ...x, match: e.target.value } : x)) })}
          />
          <span>→</span>
          <input
            aria-label={`Delivery stream ${i + 1}`}
            value={r.stream}
            onChange={(e) => set({ routes: routing.routes.map((x, j) => (j === i ? { ...x, stream: e.target.value } : x)) })}
          />
          <button
            type="button"
            className="ghost"
            aria-label={`Remove route ${i + 1}`}
            onClick={() => set({ routes: routing.routes.filter((_, j) => j !== i) })}
          >
            ×
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="ghost" onClick={() => set({ routes: [...routing.routes, { match: '', stream: destination.deliveryStream }] })}>
          Add route
        </button>
      </div>
      <label className="field">
        <span>Events no row matches</span>
        <select
          aria-label="Events no row matches"
          value={routing.unmatched}
          onChange={(e) => set({ unmatched: e.target.value as FirehoseRouting['unmatched'] })}
        >
          <option value="skip">Skip (not sent, counted as skipped)</option>
          <option value="reject">Reject (listed as not sent; the run ends partial)</option>
        </select>
      </label>
    </div>
  );
}

/** Message properties, by destination kind. */
export function MessageProperties({
  destination,
  columns,
  value,
  onChange,
}: {
  destination: Destination | undefined;
  columns: Column[];
  value: MessageProps;
  onChange: (v: MessageProps) => void;
}) {
  if (!destination) return null;
  return (
    <section className="message-properties" aria-label="Message properties">
      <h3>Message properties</h3>
      {(destination.kind === 'kinesis' || destination.kind === 'sandbox-kinesis') && <KinesisProperties value={value} columns={columns} onChange={onChange} />}
      {destination.kind === 'kafka' && <KafkaProperties value={value} columns={columns} onChange={onChange} />}
      {destination.kind === 'firehose' && <FirehoseProperties value={value} destination={destination} columns={columns} onChange={onChange} />}
    </section>
  );
}

/** Whether the properties are complete enough to preview and save (no empty column or template). */
export function messagePropsReady(v: MessageProps): boolean {
  const filled = (s: { kind: string; column?: string; template?: string } | undefined) =>
    !s || (s.kind === 'column' ? Boolean(s.column) : s.kind === 'template' ? Boolean(s.template?.trim()) : true);
  const fixedOk = v.kafka?.topic?.kind !== 'fixed' || Boolean(v.kafka.topic.value);
  const columnsOk =
    v.partitionKey.kind !== 'first-present' ||
    (v.partitionKey.columns.length > 0 && v.partitionKey.columns.every(Boolean) && new Set(v.partitionKey.columns).size === v.partitionKey.columns.length);
  return (
    fixedOk &&
    columnsOk &&
    filled(v.partitionKey) &&
    filled(v.explicitHashKey) &&
    filled(v.kafka?.topic) &&
    filled(v.kafka?.key) &&
    filled(v.kafka?.partition) &&
    filled(v.firehose?.eventName) &&
    (v.firehose?.routes.every((r) => r.match.trim() && r.stream) ?? true) &&
    (v.kafka?.headers.every((h) => h.name) ?? true)
  );
}
