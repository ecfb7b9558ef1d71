import type { InspectedRecord, KafkaRecord, KinesisRecord, SentRecord } from '../../../shared/config/inspector';
import { RecordDataCell } from './RecordData';
import { Time } from '../components/Time';

const time = (iso: string | null) => (iso ? <Time iso={iso} ms /> : '');

function KinesisRows({ records }: { records: KinesisRecord[] }) {
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
            <td className="small record-coord">{time(r.arrivalTimestamp)}</td>
            <td className="mono record-coord" data-testid="record-shard">
              {r.shardId}
            </td>
            <td className="mono small sequence-number" data-testid="record-sequence">
              {r.sequenceNumber}
            </td>
            <td className="mono" data-testid="record-partition-key">
              {r.partitionKey}
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

function KafkaRows({ records }: { records: KafkaRecord[] }) {
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
            <td className="small record-coord">{time(r.timestamp)}</td>
            <td className="mono" data-testid="record-partition">
              {r.partition}
            </td>
            <td className="mono" data-testid="record-offset">
              {r.offset}
            </td>
            <td className="mono" data-testid="record-key">
              {r.key ?? <span className="muted">null</span>}
            </td>
            <td className="mono small">{r.headers.map((h) => `${h.name}=${h.value}`).join(', ')}</td>
            <td>
              <RecordDataCell data={r.value} testId="record-data" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SentRows({ records }: { records: SentRecord[] }) {
  return (
    <table className="table" aria-label="Records sent" data-testid="inspector-records">
      <thead>
        <tr>
          <th>Sent at</th>
          <th>Run</th>
          <th>Key</th>
          <th>Record id</th>
          <th>Data sent</th>
        </tr>
      </thead>
      <tbody>
        {records.map((r) => (
          <tr key={r.ledgerId} data-testid="inspector-record">
            <td className="small">{time(r.sentAt)}</td>
            <td>{r.runId}</td>
            <td className="mono">{r.key}</td>
            <td className="mono small">{r.recordId}</td>
            <td>
              <RecordDataCell data={r.data} testId="record-data" />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The records of one read, with the fields of their kind. */
export function RecordsTable({ records }: { records: InspectedRecord[] }) {
  const first = records[0];
  if (!first) return null;
  if (first.kind === 'kinesis') return <KinesisRows records={records.filter((r): r is KinesisRecord => r.kind === 'kinesis')} />;
  if (first.kind === 'kafka') return <KafkaRows records={records.filter((r): r is KafkaRecord => r.kind === 'kafka')} />;
  return <SentRows records={records.filter((r): r is SentRecord => r.kind === 'ledger')} />;
}
