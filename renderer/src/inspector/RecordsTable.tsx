import type { InspectedRecord, SentRecord } from '../../../shared/config/inspector';
import { recordsOf } from '../destinations/kinds/registry';
import { RecordDataCell } from './RecordData';
import { recordTime } from './record-time';

/** Records from the ledger (a Firehose delivery stream cannot be read): what was sent, by run. */
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
            <td className="small">{recordTime(r.sentAt)}</td>
            <td>{r.runId}</td>
            <td className="mono">
              <div className="record-key" title={r.key}>
                {r.key}
              </div>
            </td>
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

/** The records of one read, with the fields of their kind (a read's records are all of one kind). */
export function RecordsTable({ records }: { records: InspectedRecord[] }) {
  const first = records[0];
  if (!first) return null;
  const kind = recordsOf(first.kind);
  if (kind) return <kind.Rows records={records.filter((r) => r.kind === first.kind) as Exclude<InspectedRecord, SentRecord>[]} />;
  return <SentRows records={records.filter((r): r is SentRecord => r.kind === 'ledger')} />;
}
