import { useQuery } from '@tanstack/react-query';
import type { ApiCallDetail } from '../../../shared/debugger/api-call';
import { useSession } from '../api/context';
import { queryKeys } from '../api/queries';
import { ErrorBanner } from '../components/ErrorBanner';
import { CopyCommands } from './CopyCommands';
import { JsonView } from './JsonView';
import { TimingBar } from './TimingBar';
import { callErrorText } from '../../../shared/debugger/call-error';
import { fmt } from '../../../shared/format/format';
import { Time } from '../components/Time';

/** One call in full: copy-as-command buttons, facts, timing bar, request and response in JSON viewers. */
export function CallDetail({ id, onClose }: { id: number; onClose(): void }) {
  const { api } = useSession();
  // A recorded call never changes: asked once per id.
  const loaded = useQuery({ queryKey: queryKeys.apiCall(id), queryFn: () => api.getApiCall({ id }), staleTime: Infinity });
  const call = loaded.data ?? null;
  const error = loaded.error;

  return (
    <aside className="call-detail" data-testid="api-call-detail" aria-label={`API call ${id}`}>
      <div className="call-detail-head">
        <h2>
          {call ? `${call.service} ${call.operation}` : `Call ${id}`}
          {call && <span className={`badge ${call.isError ? 'badge-failed' : 'badge-succeeded'}`}>{call.status}</span>}
        </h2>
        <button type="button" className="ghost" onClick={onClose} aria-label="Close the call">
          ×
        </button>
      </div>
      {error !== null && <ErrorBanner error={error} />}
      {call && (
        <>
          <CopyCommands key={call.id} call={call} />
          <CallFacts call={call} />
          <TimingBar startMs={call.startedMs} durationMs={call.durationMs} window={call.window} />
          <h3>Request</h3>
          <JsonView value={call.request} testId="api-call-request" />
          <h3>Response</h3>
          <JsonView value={call.response} testId="api-call-response" />
          {call.results !== null && (
            <>
              <h3>Per-record results</h3>
              <JsonView value={call.results} testId="api-call-results" />
            </>
          )}
          {call.transport !== null && (
            <>
              <h3>Transport</h3>
              <JsonView value={call.transport} testId="api-call-transport" />
            </>
          )}
        </>
      )}
    </aside>
  );
}

/** Where the call went, when, how long and how big, and its error. */
function CallFacts({ call }: { call: ApiCallDetail }) {
  return (
    <dl className="facts small">
      <dt>Destination</dt>
      <dd>
        {call.destination}{' '}
        <span className="muted">
          ({call.context}
          {call.runId !== null ? `, run ${call.runId}` : ''})
        </span>
      </dd>
      <dt>Target</dt>
      <dd className="mono">{call.target}</dd>
      <dt>Started</dt>
      <dd>
        <Time iso={call.startedAt} ms />
      </dd>
      <dt>Duration</dt>
      <dd>{fmt.duration(call.durationMs)}</dd>
      <dt>Attempt</dt>
      <dd>{call.attempt}</dd>
      {call.requestId && (
        <>
          <dt>Request id</dt>
          <dd className="mono">{call.requestId}</dd>
        </>
      )}
      <dt>Sizes</dt>
      <dd>
        request {fmt.bytes(call.requestBytes)}, response {fmt.bytes(call.responseBytes)}
      </dd>
      {call.recordCount !== null && (
        <>
          <dt>Records</dt>
          <dd>
            {fmt.number(call.recordCount)}
            {call.failedRecords > 0 && <span className="danger"> ({fmt.number(call.failedRecords)} failed)</span>}
          </dd>
        </>
      )}
      {call.errorCode && (
        <>
          <dt>Error</dt>
          <dd className="danger" data-testid="api-call-error">
            {callErrorText(call)}
          </dd>
        </>
      )}
    </dl>
  );
}
