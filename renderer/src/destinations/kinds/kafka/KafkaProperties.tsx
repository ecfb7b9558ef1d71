import type { Column } from '../../../../../shared/config/source';
import type { KafkaMessage } from '../../../../../shared/config/sync';
import { duplicateHeader, type MessageProps } from '../../../views/payload/message-props';
import { SourceInput } from '../shared/SourceInput';

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

interface PartProps {
  kafka: KafkaMessage;
  columns: Column[];
  set: (k: Partial<KafkaMessage>) => void;
}

function TopicField({ kafka, columns, set }: PartProps) {
  const topic = kafka.topic;
  return (
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
  );
}

function KeyField({ kafka, columns, set }: PartProps) {
  const key = kafka.key;
  return (
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
                kind === 'column' ? { kind, column: '' } : kind === 'template' ? { kind, template: '' } : kind === 'none' ? { kind } : { kind: 'primary-key' },
            });
          }}
        >
          <option value="primary-key">Primary key (default)</option>
          <option value="column">A column</option>
          <option value="template">A template</option>
          <option value="none">None (round-robin)</option>
        </select>
      </label>
      {(key.kind === 'column' || key.kind === 'template') && <SourceInput label="Kafka key" value={key} columns={columns} onChange={(s) => set({ key: s })} />}
    </div>
  );
}

function PartitionField({ kafka, columns, set }: PartProps) {
  const partition = kafka.partition;
  return (
    <div className="row">
      <label className="field">
        <span>Partition (beats the key)</span>
        <select
          aria-label="Kafka partition"
          value={partition?.kind ?? 'none'}
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
      {partition && partition.kind !== 'fixed' && (
        <SourceInput label="Kafka partition" value={partition} columns={columns} onChange={(s) => set({ partition: s })} />
      )}
    </div>
  );
}

function HeadersField({ kafka, set }: PartProps) {
  // Said where the name was typed (the previews wait until it is renamed).
  const twice = duplicateHeader(kafka.headers);
  return (
    <div className="mapper">
      <span className="muted small">Headers (values are templates)</span>
      {kafka.headers.map((h, i) => (
        // Name, value and remove on one line, as a mapped field's (they wrapped, each value under its name, so a
        // value looked like the next header's).
        <div className="row mapper-field" key={i}>
          <input
            aria-label={`Header name ${i + 1}`}
            placeholder="name"
            aria-invalid={twice?.index === i || undefined}
            aria-describedby={twice?.index === i ? 'kafka-header-twice' : undefined}
            value={h.name}
            onChange={(e) => set({ headers: kafka.headers.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)) })}
          />
          <input
            aria-label={`Header value ${i + 1}`}
            placeholder="value (a template)"
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
      {twice && (
        <small className="field-error" id="kafka-header-twice" role="alert" data-testid="header-problem">
          {twice.message}
        </small>
      )}
      <div>
        <button type="button" className="ghost" onClick={() => set({ headers: [...kafka.headers, { name: '', value: '' }] })}>
          Add header
        </button>
      </div>
    </div>
  );
}

/** A Kafka message's topic (or topic per trigger), key, partition and headers. */
export function KafkaProperties({ value, columns, onChange }: { value: MessageProps; columns: Column[]; onChange: (v: MessageProps) => void }) {
  const kafka: KafkaMessage = value.kafka ?? { key: { kind: 'primary-key' }, headers: [], tombstones: false };
  const set = (k: Partial<KafkaMessage>) => onChange({ ...value, kafka: { ...kafka, ...k } });
  return (
    <>
      <TopicField kafka={kafka} columns={columns} set={set} />
      <TopicByTrigger value={kafka.topicByTrigger} onChange={(topicByTrigger) => set({ topicByTrigger })} />
      <KeyField kafka={kafka} columns={columns} set={set} />
      <PartitionField kafka={kafka} columns={columns} set={set} />
      <HeadersField kafka={kafka} columns={columns} set={set} />
    </>
  );
}
