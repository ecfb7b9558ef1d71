import type { FirehoseRouting } from '../../../../../shared/config/sync';
import { TableScroll } from '../../../components/TableScroll';
import type { SyncSectionProps } from '../types';
import type { EventNameKind, Route } from './firehose-sync';

function RoutesTable({ form, set }: Pick<SyncSectionProps<'firehose'>, 'form' | 'set'>) {
  const setRoute = (i: number, patch: Partial<Route>) =>
    set(
      'routes',
      form.routes.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );
  return (
    <TableScroll label="Routes">
      <table className="table routes" aria-label="Routes">
        <thead>
          <tr>
            <th>Event type, event name or *</th>
            <th>Delivery stream</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {form.routes.map((route, i) => (
            <tr key={i}>
              <td>
                <input aria-label={`Route ${i + 1} event`} value={route.match} onChange={(e) => setRoute(i, { match: e.target.value })} />
              </td>
              <td>
                <input aria-label={`Route ${i + 1} delivery stream`} value={route.stream} onChange={(e) => setRoute(i, { stream: e.target.value })} />
              </td>
              <td>
                <button
                  type="button"
                  className="ghost"
                  aria-label={`Remove route ${i + 1}`}
                  disabled={form.routes.length === 1}
                  onClick={() =>
                    set(
                      'routes',
                      form.routes.filter((_, j) => j !== i),
                    )
                  }
                >
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function Routing({ form, set }: Pick<SyncSectionProps<'firehose'>, 'form' | 'set'>) {
  return (
    <>
      <div className="row">
        <label className="field">
          <span>Event name from</span>
          <select aria-label="Event name from" value={form.eventNameKind} onChange={(e) => set('eventNameKind', e.target.value as EventNameKind)}>
            <option value="none">Event types only (added, changed, removed)</option>
            <option value="column">A column</option>
            <option value="template">A template</option>
          </select>
        </label>
        {form.eventNameKind !== 'none' && (
          <label className="field">
            <span>{form.eventNameKind === 'column' ? 'Column' : 'Template'}</span>
            <input
              aria-label="Event name source"
              value={form.eventName}
              placeholder={form.eventNameKind === 'column' ? 'event' : '{{ row.kind }}'}
              onChange={(e) => set('eventName', e.target.value)}
            />
          </label>
        )}
      </div>
      <RoutesTable form={form} set={set} />
      <div>
        <button type="button" className="ghost" onClick={() => set('routes', [...form.routes, { match: '', stream: '' }])}>
          Add a route
        </button>
      </div>
      <label className="field">
        <span>Events no row matches</span>
        <select aria-label="Events no row matches" value={form.unmatched} onChange={(e) => set('unmatched', e.target.value as FirehoseRouting['unmatched'])}>
          <option value="skip">Skip them (not sent, counted as skipped; the run can succeed)</option>
          <option value="reject">Reject them (each listed as not sent; the run ends partial)</option>
        </select>
      </label>
      <p className="muted small">
        Rows are tried in order; the first match wins; names compare case-insensitively. A skipped row is recorded as delivered: it is looked at again only when
        it changes.
      </p>
    </>
  );
}

/** The sync form's Firehose routes. */
export function FirehoseSyncSection({ destination, form, set }: SyncSectionProps<'firehose'>) {
  return (
    <fieldset className="group">
      <legend>Firehose routes</legend>
      <label className="check option">
        <input type="checkbox" checked={form.routing} onChange={(e) => set('routing', e.target.checked)} />
        <span>
          <strong>Route records by event</strong>{' '}
          <span className="muted">
            Each record goes to the delivery stream of the first row its event matches; without routes every record goes to {destination.deliveryStream}.
          </span>
        </span>
      </label>
      {form.routing && <Routing form={form} set={set} />}
    </fieldset>
  );
}
