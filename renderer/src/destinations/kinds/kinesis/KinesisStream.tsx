import type { KinesisRecord } from '../../../../../shared/config/inspector';
import type { TestRecord } from '../../../../../shared/ipc/channels/streams';
import { RecordDataCell } from '../../../inspector/RecordData';
import { recordTime } from '../../../inspector/record-time';
import type { CreateTargetForm } from '../shared/create-target-form';
import type { CreateTargetFieldsProps, TargetsOf } from '../types';
import { WHOLE_NUMBER_INPUT } from '../../../components/whole-number';

/** The inspector's target: the destination's stream. */
export function StreamTarget({ targets }: { targets: TargetsOf<'kinesis'> }) {
  return (
    <div className="field">
      <span>Stream</span>
      <span className="mono" data-testid="inspector-stream">
        {targets.stream}
      </span>
    </div>
  );
}

/** Records read from a stream: arrival, shard, sequence number, partition key, data. */
export function KinesisRows({ records }: { records: KinesisRecord[] }) {
  return (
    <table className="table" aria-label="Stream records" data-testid="inspector-records">
      <thead>
        <tr>
          <th>Arrival</th>
          <th>Shard</th>
          <th>Sequence number</th>
          <th>Partition key</th>
          <th>Data</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => (
          <tr key={`${r.shardId}/${r.sequenceNumber}`} data-testid="inspector-record">
            <td className="small record-coord">{recordTime(r.arrivalTimestamp)}</td>
            <td className="mono record-coord" data-testid="record-shard">
              {r.shardId}
            </td>
            <td className="mono small sequence-number" data-testid="record-sequence">
              {r.sequenceNumber}
            </td>
            <td className="mono" data-testid="record-partition-key">
              <div className="record-key" title={r.partitionKey}>
                {r.partitionKey}
              </div>
            </td>
            <td>
              <RecordDataCell data={r.data} testId="record-data" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Where a test record landed in a stream. */
export function KinesisLanded({ landed: l }: { landed: Extract<TestRecord['landed'], { kind: 'kinesis' }> }) {
  return (
    <>
      stream <code>{l.stream}</code>, shard <code data-testid="landed-shard">{l.shardId}</code>, sequence number{' '}
      <code data-testid="landed-sequence">{l.sequenceNumber}</code> (partition key <code>{l.partitionKey}</code>
      {l.explicitHashKey ? (
        <>
          , explicit hash key <code>{l.explicitHashKey}</code>
        </>
      ) : null}
      )
    </>
  );
}

/** The wizard's "Create a new stream" fields. */
export function CreateStreamFields({ form, set, field }: CreateTargetFieldsProps) {
  return (
    <>
      {field('Stream name', 'name', 'stream', { placeholder: 'clickstream' })}
      <div className="row">
        <label className="field">
          <span>Capacity mode</span>
          <select aria-label="Capacity mode" value={form.mode} onChange={(e) => set('mode', e.target.value as CreateTargetForm['mode'])}>
            <option value="on-demand">On-demand (scales by itself; billed per GB)</option>
            <option value="provisioned">Provisioned (a fixed number of shards)</option>
          </select>
        </label>
        {form.mode === 'provisioned' && field('Shards', 'shardCount', 'shardCount', WHOLE_NUMBER_INPUT)}
      </div>
      <p className="muted small">
        A name of 1–128 letters, digits, underscores, dots and hyphens. Each shard takes 1 MB/s or 1,000 records/s. Needs kinesis:CreateStream and
        kinesis:DescribeStreamSummary.
      </p>
    </>
  );
}
