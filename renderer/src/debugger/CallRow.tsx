import { memo } from 'react';
import type { ApiCallSummary } from '../../../shared/debugger/api-call';
import { callErrorLabel } from '../../../shared/debugger/call-error';
import { fmt } from '../../../shared/format/format';
import { Time } from '../components/Time';

/** One row; memoised so rows that stay in view are not rendered again while scrolling. */
export const CallRow = memo(function CallRow({
  call,
  index,
  selected,
  onSelect,
}: {
  call: ApiCallSummary | undefined;
  index: number;
  selected: boolean;
  onSelect(id: number): void;
}) {
  if (!call) return <div className="call-row muted">Loading call {index + 1}…</div>;
  return (
    <button
      type="button"
      className={`call-row${selected ? ' selected' : ''}${call.isError ? ' error' : ''}`}
      data-testid="api-call-row"
      data-id={call.id}
      data-operation={call.operation}
      data-status={call.status}
      data-error={call.isError}
      onClick={() => onSelect(call.id)}
    >
      <span className="c-time mono">
        <Time iso={call.startedAt} clock />
      </span>
      <span className="c-context">{call.context}</span>
      <span className="c-dest" title={call.destination}>
        {call.destination}
      </span>
      <span className="c-op">
        <span className="c-service">{call.service} </span>
        <strong>{call.operation}</strong>
      </span>
      <span className="c-status">{call.status}</span>
      <RecordsCell call={call} />
      <span className="c-duration">{fmt.duration(call.durationMs)}</span>
      <span className="c-error" title={call.errorMessage ?? ''}>
        {callErrorLabel(call)}
      </span>
    </button>
  );
});

/** How many records the call carried, and how many of them failed. */
function RecordsCell({ call }: { call: ApiCallSummary }) {
  const total = call.recordCount === null ? '?' : fmt.number(call.recordCount);
  if (call.failedRecords <= 0) return <span className="c-records">{call.recordCount === null ? '' : total}</span>;
  return (
    <span
      className="c-records"
      title={`${fmt.number(call.failedRecords)} of ${call.recordCount === null ? '?' : fmt.count(call.recordCount, 'record')} failed`}
    >
      <span className="c-failed" data-testid="api-call-failed">
        {fmt.number(call.failedRecords)} failed
      </span>{' '}
      / {total}
    </span>
  );
}
