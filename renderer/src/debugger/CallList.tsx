import type { ApiCallFilter } from '../../../shared/debugger/api-call';
import { fmt } from '../../../shared/format/format';
import { useSession } from '../api/context';
import { CallRow } from './CallRow';
import { useApiCalls } from './useApiCalls';
import { VirtualList } from './VirtualList';

const ROW_HEIGHT = 28;

/** The list for one filter (mounted anew when the filter changes). */
export function CallList({
  filter,
  follow,
  onScrollAway,
  selected,
  onSelect,
  onError,
  storeTotal,
}: {
  filter: ApiCallFilter;
  follow: boolean;
  onScrollAway(): void;
  selected: number | null;
  onSelect(id: number): void;
  onError(err: unknown): void;
  storeTotal: number | null;
}) {
  const { api } = useSession();
  const { total, callAt, onRange, newCalls, showNewCalls } = useApiCalls(api, filter, onError);
  return (
    <div className="call-list">
      <div className="small muted call-total" data-testid="api-call-total">
        {fmt.count(total, 'call')}
        {storeTotal !== null && total < storeTotal ? ` (of ${fmt.number(storeTotal)} recorded)` : ''}
        {newCalls > 0 ? (
          <span data-testid="api-call-new">
            {' · '}
            {fmt.count(newCalls, 'new call')} recorded since this search{' '}
            <button type="button" onClick={showNewCalls}>
              Refresh
            </button>
          </span>
        ) : null}
      </div>
      <div className="call-row call-head small muted" aria-hidden="true">
        <span className="c-time">Time</span>
        <span className="c-context">Context</span>
        <span className="c-dest">Destination</span>
        <span className="c-op">Operation</span>
        <span className="c-status">Status</span>
        <span className="c-records">Records</span>
        <span className="c-duration">Duration</span>
        <span className="c-error">Error</span>
      </div>
      <VirtualList
        testId="api-call-list"
        count={total}
        rowHeight={ROW_HEIGHT}
        follow={follow}
        onScrollAway={onScrollAway}
        onRange={onRange}
        renderRow={(i) => <CallRow call={callAt(i)} index={i} selected={callAt(i)?.id === selected} onSelect={onSelect} />}
      />
    </div>
  );
}
