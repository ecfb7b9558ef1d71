import { useEffect, useEffectEvent, useState } from 'react';
import type { ReadBack } from '../../../shared/config/inspector';
import { useSession } from '../api/context';
import { isReadable } from '../destinations/kinds/registry';
import { ErrorBanner } from '../components/ErrorBanner';
import { RecordDataCell } from './RecordData';
import { RecordsTable } from './RecordsTable';
import { TableScroll } from '../components/TableScroll';

function coordinates(rb: ReadBack): string {
  const e = rb.entry;
  if (e.shardId) return `${e.shardId} · sequence number ${e.sequenceNumber ?? '?'}`;
  if (e.topic) return `${e.topic} · partition ${e.partition ?? '?'} · offset ${e.offset ?? '?'}`;
  return e.recordId ? `record id ${e.recordId}` : '';
}

/**
 * One ledger entry's record opened in the stream: what was sent next to what was read back, and the verdict.
 * `onOpened`: the record's destination, once known (the read form below goes to it).
 */
export function ReadBackPanel({ ledgerId, onClose, onOpened }: { ledgerId: number; onClose: () => void; onOpened?: (destination: string) => void }) {
  const { api } = useSession();
  const [result, setResult] = useState<ReadBack | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The parent keys this panel by ledger id, so each entry starts from a fresh state.
  useEffect(() => {
    api.inspectLedgerRecord({ ledgerId }).then(setResult, setError);
  }, [api, ledgerId]);
  // Once per record opened (the parent's callback is a new function each render).
  const opened = useEffectEvent((destination: string) => onOpened?.(destination));
  const destination = result?.destination;
  useEffect(() => {
    if (destination !== undefined) opened(destination);
  }, [destination]);

  return (
    <section className="card" aria-label="Ledger record read back" data-testid="readback">
      <div className="row spread">
        <h2>Ledger entry {ledgerId}</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      {error !== null && <ErrorBanner error={error} />}
      {!result && error === null && <p className="muted">Opening the record in the stream…</p>}
      {result && (
        <>
          <p className="muted">
            Key <span className="mono">{result.entry.key}</span> · run {result.entry.runId} · {result.destination} ·{' '}
            <span className="mono">{coordinates(result)}</span>
          </p>
          <div
            className={`banner ${result.match === true ? 'banner-ok' : result.match === false ? 'banner-error' : 'banner-warn'}`}
            role="status"
            data-testid="readback-verdict"
            data-match={String(result.match)}
          >
            <strong>
              {result.match === true ? '✓ ' : result.match === false ? '✗ ' : ''}
              {result.detail}
            </strong>
          </div>
          <h3>Sent</h3>
          <div data-testid="readback-sent">
            <RecordDataCell data={result.sent} />
          </div>
          {isReadable(result.kind) && (
            <>
              <h3>Read back</h3>
              {result.read ? (
                <TableScroll label="Record read back">
                  <RecordsTable records={[result.read]} />
                </TableScroll>
              ) : (
                <p className="muted">Nothing at these coordinates.</p>
              )}
            </>
          )}
        </>
      )}
    </section>
  );
}
