import { useState, type Ref } from 'react';
import { failureReasonWhy, type LedgerEntry } from '../../../../../shared/config/sync';
import { fmt } from '../../../../../shared/format/format';
import { useDebounced, useLastAnswer, useLedgerSearch } from '../../../api/queries';
import { TableScroll } from '../../../components/TableScroll';
import { landedAt } from '../run-format';

type LedgerStatus = LedgerEntry['status'] | '';

/** A run's records (its ledger), searched by key, partition key or error and by status as the user types; read again every few seconds while the run runs. */
export function useRunRecords(runId: number, running: boolean) {
  const [text, setText] = useState('');
  const [status, setStatus] = useState<LedgerStatus>('');
  const query = useLedgerSearch(runId, useDebounced(text, 150), useDebounced(status, 150), running);
  const ledger = useLastAnswer(query.data, String(runId));
  return { text, setText, status, setStatus, ledger, running, error: query.error };
}

/** The records' search fields, their count and table. */
export function RunRecords({
  text,
  setText,
  status,
  setStatus,
  ledger,
  running,
  headingRef,
}: Omit<ReturnType<typeof useRunRecords>, 'error'> & { headingRef?: Ref<HTMLHeadingElement> }) {
  // A run with no record at all (nothing to send, or it stopped before sending) says so, without search fields that find nothing.
  if (ledger && ledger.total === 0 && text === '' && status === '')
    return (
      <>
        <h4 ref={headingRef}>Records</h4>
        <p className="muted" data-testid="no-records">
          {running ? 'No records yet.' : 'This run sent nothing, so it has no records.'}
        </p>
      </>
    );
  return (
    <>
      <h4 ref={headingRef}>Records</h4>
      <div className="row">
        <input aria-label="Search records" placeholder="Key, partition key or error" value={text} onChange={(e) => setText(e.target.value)} />
        <select aria-label="Record status" value={status} onChange={(e) => setStatus(e.target.value as LedgerStatus)}>
          <option value="">All</option>
          <option value="acknowledged">Acknowledged</option>
          <option value="failed">Failed</option>
          <option value="rejected">Rejected</option>
        </select>
        {ledger && <span className="muted">{fmt.count(ledger.total, 'record')}</span>}
      </div>
      {ledger && ledger.entries.length > 0 && <LedgerTable entries={ledger.entries} />}
    </>
  );
}

function LedgerTable({ entries }: { entries: readonly LedgerEntry[] }) {
  return (
    <TableScroll label="Records">
      <table className="table" aria-label="Records">
        <thead>
          <tr>
            <th>Key</th>
            <th>Event</th>
            <th>Status</th>
            <th className="num">Attempts</th>
            <th>Landed at</th>
            <th>Error</th>
            <th>Stream</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <div className="record-key" title={e.key}>
                  {e.key}
                </div>
              </td>
              <td>{e.event}</td>
              <td>{e.status}</td>
              <td className="num">{fmt.number(e.attempts)}</td>
              <td className="mono small landed-at">{landedAt(e)}</td>
              <td>{e.errorCode || e.errorMessage ? failureReasonWhy(e) : ''}</td>
              <td className="nowrap">
                {e.status === 'acknowledged' && (e.shardId || e.topic || e.recordId) && (
                  <a href={`#/inspector?ledger=${e.id}`} data-testid="open-in-stream" aria-label={`Open record ${e.key} in the stream`}>
                    Open in stream
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
