import type { Column } from '../../../../../shared/config/source';
import type { FirehoseRouting } from '../../../../../shared/config/sync';
import type { MessageProps } from '../../../views/payload/message-props';
import { SourceInput } from '../shared/SourceInput';
import type { DestinationOf } from '../types';

function EventNameField({ routing, columns, set }: { routing: FirehoseRouting; columns: Column[]; set: (r: Partial<FirehoseRouting>) => void }) {
  return (
    <div className="row">
      <label className="field">
        <span>Event name</span>
        <select
          aria-label="Event name"
          value={routing.eventName?.kind ?? 'none'}
          onChange={(e) =>
            set({
              eventName:
                e.target.value === 'column' ? { kind: 'column', column: '' } : e.target.value === 'template' ? { kind: 'template', template: '' } : undefined,
            })
          }
        >
          <option value="none">Event type only (added / changed / removed)</option>
          <option value="column">From a column</option>
          <option value="template">From a template</option>
        </select>
      </label>
      {routing.eventName && <SourceInput label="Event name" value={routing.eventName} columns={columns} onChange={(s) => set({ eventName: s })} />}
    </div>
  );
}

/** A Firehose sync's routes: event name or type → delivery stream. */
export function FirehoseProperties({
  value,
  destination,
  columns,
  onChange,
}: {
  value: MessageProps;
  destination: DestinationOf<'firehose'>;
  columns: Column[];
  onChange: (v: MessageProps) => void;
}) {
  const routing: FirehoseRouting = value.firehose ?? { routes: [{ match: '*', stream: destination.deliveryStream }], unmatched: 'skip' };
  const set = (r: Partial<FirehoseRouting>) => onChange({ ...value, firehose: { ...routing, ...r } });
  return (
    <div className="mapper">
      <EventNameField routing={routing} columns={columns} set={set} />
      <span className="muted small">
        Event name or type → delivery stream. * matches all; names compare case-insensitively, stream names exactly. The first matching row wins.
      </span>
      {routing.routes.map((r, i) => (
        <div className="row" key={i}>
          <input
            aria-label={`Event ${i + 1}`}
            placeholder="event name, added/changed/removed, or *"
            value={r.match}
            onChange={(e) => set({ routes: routing.routes.map((x, j) => (j === i ? { ...x, match: e.target.value } : x)) })}
          />
          <span>→</span>
          <input
            aria-label={`Delivery stream ${i + 1}`}
            value={r.stream}
            onChange={(e) => set({ routes: routing.routes.map((x, j) => (j === i ? { ...x, stream: e.target.value } : x)) })}
          />
          <button
            type="button"
            className="ghost"
            aria-label={`Remove route ${i + 1}`}
            onClick={() => set({ routes: routing.routes.filter((_, j) => j !== i) })}
          >
            ×
          </button>
        </div>
      ))}
      <div>
        <button type="button" className="ghost" onClick={() => set({ routes: [...routing.routes, { match: '', stream: destination.deliveryStream }] })}>
          Add route
        </button>
      </div>
      <label className="field">
        <span>Events no row matches</span>
        <select
          aria-label="Events no row matches"
          value={routing.unmatched}
          onChange={(e) => set({ unmatched: e.target.value as FirehoseRouting['unmatched'] })}
        >
          <option value="skip">Skip (not sent, counted as skipped)</option>
          <option value="reject">Reject (listed as not sent; the run ends partial)</option>
        </select>
      </label>
    </div>
  );
}
