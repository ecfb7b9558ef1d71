import type { KafkaRecord } from '../../../../../shared/config/inspector';
import type { TestRecord } from '../../../../../shared/ipc/channels/streams';
import { RecordDataCell } from '../../../inspector/RecordData';
import { recordTime } from '../../../inspector/record-time';
import type { CreateTargetFieldsProps, TargetsOf } from '../types';
import { RETENTION } from './kafka-create';
import { WHOLE_NUMBER_INPUT } from '../../../components/whole-number';

/** The inspector's target: a topic of the cluster, the destination's own until another is picked. */
export function TopicTarget({ targets, topic, onTopic }: { targets: TargetsOf<'kafka'>; topic: string; onTopic(topic: string): void }) {
  return (
    <label className="field">
      <span>Topic</span>
      <select aria-label="Topic" value={topic} onChange={(e) => onTopic(e.target.value)}>
        {targets.topics.map((t) => (
          <option key={t.topic} value={t.topic}>
            {t.topic}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Records read from a topic: timestamp, partition, offset, key, headers, value. */
export function KafkaRows({ records }: { records: KafkaRecord[] }) {
  return (
    <table className="table" aria-label="Topic records" data-testid="inspector-records">
      <thead>
        <tr>
          <th>Timestamp</th>
          <th>Partition</th>
          <th>Offset</th>
          <th>Key</th>
          <th>Headers</th>
          <th>Value</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => (
          <tr key={`${r.partition}/${r.offset}`} data-testid="inspector-record">
            <td className="small record-coord">{recordTime(r.timestamp)}</td>
            <td className="mono" data-testid="record-partition">
              {r.partition}
            </td>
            <td className="mono" data-testid="record-offset">
              {r.offset}
            </td>
            <td className="mono" data-testid="record-key">
              {r.key === null ? (
                <span className="muted">null</span>
              ) : (
                <div className="record-key" title={r.key}>
                  {r.key}
                </div>
              )}
            </td>
            <td className="mono small">
              <div className="record-key">{r.headers.map((h) => `${h.name}=${h.value}`).join(', ')}</div>
            </td>
            <td>
              <RecordDataCell data={r.value} testId="record-data" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where a test record landed in a topic. */
export function KafkaLanded({ landed: l }: { landed: Extract<TestRecord['landed'], { kind: 'kafka' }> }) {
  return (
    <>
      topic <code data-testid="landed-topic">{l.topic}</code>, partition <code data-testid="landed-partition">{l.partition}</code>, offset{' '}
      <code data-testid="landed-offset">{l.offset}</code> (key <code>{l.key ?? 'null'}</code>
      {Object.keys(l.headers).length > 0 && <>, headers {JSON.stringify(l.headers)}</>})
    </>
  );
}

/** The wizard's "Create a new topic" fields. */
export function CreateTopicFields({ form, set, field }: CreateTargetFieldsProps) {
  return (
    <>
      {field('Topic name', 'name', 'topic', { placeholder: 'orders.v1' })}
      <div className="row">
        {field('Partitions', 'partitions', 'partitions', WHOLE_NUMBER_INPUT)}
        {field('Replication factor', 'replicationFactor', 'replicationFactor', WHOLE_NUMBER_INPUT)}
        <label className="field">
          <span>Retention</span>
          <select aria-label="Retention" value={form.retention} onChange={(e) => set('retention', Number(e.target.value))}>
            {RETENTION.map((r, i) => (
              <option key={r.label} value={i}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p className="muted small">
        A name of letters, digits, dots, underscores and hyphens. The replication factor cannot exceed the number of brokers. Needs the Create ACL on the
        cluster (or on the topic).
      </p>
    </>
  );
}
