import { useState } from 'react';
import type { Destination } from '../../../../shared/config/destination';
import type { Model } from '../../../../shared/config/source';
import { DEFAULT_MAX_REMOVAL_PERCENT, SYNC_EVENTS, type FirehoseRouting, type Sync, type SyncEvent } from '../../../../shared/config/sync';
import type { SyncSettingsInput } from '../../../../shared/ipc/channels/sync-admin';
import { useSession } from '../../api/context';
import { useDestinations, useDismissable, useModels } from '../../api/queries';
import { ErrorBanner } from '../../components/ErrorBanner';
import { fmt } from '../../../../shared/format/format';
import { TableScroll } from '../../components/TableScroll';

const KIND_LABEL: Record<Destination['kind'], string> = {
  kinesis: 'Kinesis',
  firehose: 'Firehose',
  'sandbox-kinesis': 'sandbox Kinesis',
  kafka: 'Kafka',
};

const TRIGGERS: Record<SyncEvent, { label: string; about: string }> = {
  added: { label: 'Added rows', about: 'A row whose key was not in the model at the last run is sent as added.' },
  changed: { label: 'Changed rows', about: 'A row whose values differ from what was last delivered is sent as changed.' },
  removed: { label: 'Removed rows', about: 'A row that is no longer in the model is sent as removed, with its last delivered values.' },
};

type Route = { match: string; stream: string };
type EventNameKind = 'none' | 'column' | 'template';

interface FormState {
  name: string;
  model: string;
  destination: string;
  triggers: SyncEvent[];
  initialSync: 'backfill' | 'baseline';
  maxRemovalPercent: string;
  kafkaTombstones: boolean;
  kafkaTopic: string;
  routing: boolean;
  eventNameKind: EventNameKind;
  eventName: string;
  routes: Route[];
  unmatched: FirehoseRouting['unmatched'];
}

function initialState(sync: Sync | undefined, models: Model[], destinations: Destination[]): FormState {
  const routing = sync?.firehose;
  return {
    name: sync?.name ?? '',
    model: sync?.model ?? models[0]?.name ?? '',
    destination: sync?.destination ?? destinations[0]?.name ?? '',
    triggers: sync?.triggers ?? ['added', 'changed', 'removed'],
    initialSync: sync?.initialSync ?? 'backfill',
    maxRemovalPercent: sync?.maxRemovalPercent === undefined ? '' : String(sync.maxRemovalPercent),
    kafkaTombstones: sync?.kafka?.tombstones ?? false,
    kafkaTopic: sync?.kafka?.topic?.kind === 'fixed' ? sync.kafka.topic.value : '',
    routing: routing !== undefined,
    eventNameKind: routing?.eventName?.kind ?? 'none',
    eventName: routing?.eventName ? (routing.eventName.kind === 'column' ? routing.eventName.column : routing.eventName.template) : '',
    routes: routing?.routes ?? [{ match: '*', stream: '' }],
    unmatched: routing?.unmatched ?? 'skip',
  };
}

function toSettings(form: FormState, destination: Destination | undefined): SyncSettingsInput {
  const percent = form.maxRemovalPercent.trim();
  let firehose: FirehoseRouting | null = null;
  if (destination?.kind === 'firehose' && form.routing) {
    const eventName =
      form.eventNameKind === 'column'
        ? { kind: 'column' as const, column: form.eventName }
        : form.eventNameKind === 'template'
          ? { kind: 'template' as const, template: form.eventName }
          : undefined;
    firehose = { ...(eventName ? { eventName } : {}), routes: form.routes, unmatched: form.unmatched };
  }
  return {
    model: form.model,
    destination: form.destination,
    triggers: SYNC_EVENTS.filter((e) => form.triggers.includes(e)),
    initialSync: form.initialSync,
    ...(percent === '' ? {} : { maxRemovalPercent: Number(percent) }),
    kafkaTombstones: destination?.kind === 'kafka' && form.kafkaTombstones,
    ...(destination?.kind === 'kafka' && form.kafkaTopic.trim() ? { kafkaTopic: form.kafkaTopic.trim() } : {}),
    firehose,
  };
}

/**
 * The settings of a sync, to create one or edit one: model and destination, name (create), triggers,
 * first run, the mass-removal limit, and per destination kind Kafka tombstones and topic or Firehose
 * routes. The payload stays the payload editor's (a new sync starts with a template of the model's columns).
 */
export function SyncSettingsForm({
  sync,
  initialized = false,
  snapshotRows = 0,
  running = false,
  onSaved,
  onCancel,
}: {
  /** The sync being edited; none to create one. */
  sync?: Sync;
  initialized?: boolean;
  snapshotRows?: number;
  running?: boolean;
  onSaved: (sync: Sync, restarted: boolean) => void;
  onCancel?: () => void;
}) {
  const { api } = useSession();
  const modelsQuery = useModels();
  const destinationsQuery = useDestinations();
  const models = modelsQuery.data ?? null;
  const destinations = destinationsQuery.data ?? null;
  // What the user typed; until then the sync's settings (or a new sync's defaults) over the catalog.
  const [edited, setForm] = useState<FormState | null>(null);
  const form = edited ?? (models && destinations ? initialState(sync, models, destinations) : null);
  const [actionError, setError] = useState<unknown>(null);
  const [error, dismissError] = useDismissable(actionError ?? modelsQuery.error ?? destinationsQuery.error);
  const [busy, setBusy] = useState(false);

  if (!form || !models || !destinations) return error ? <ErrorBanner error={error} /> : null;
  const set = <K extends keyof FormState>(key: K, value: FormState[K]) => setForm((f) => ({ ...(f ?? form), [key]: value }));
  const destination = destinations.find((d) => d.name === form.destination);
  const restarts = sync !== undefined && (sync.model !== form.model || sync.destination !== form.destination);
  const kindChanges = sync !== undefined && destination !== undefined && destinations.find((d) => d.name === sync.destination)?.kind !== destination.kind;
  const toggleTrigger = (event: SyncEvent, on: boolean) => set('triggers', on ? [...form.triggers, event] : form.triggers.filter((t) => t !== event));
  const setRoute = (i: number, patch: Partial<Route>) =>
    set(
      'routes',
      form.routes.map((r, j) => (j === i ? { ...r, ...patch } : r)),
    );

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const settings = toSettings(form, destination);
      if (sync) {
        const { sync: saved, restarted } = await api.updateSyncSettings({ name: sync.name, settings });
        onSaved(saved, restarted);
      } else {
        onSaved(await api.createSync({ name: form.name.trim(), settings }), false);
      }
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="sync-form"
      aria-label={sync ? 'Sync settings' : 'New sync'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {!sync && (
        <label className="field">
          <span>Name</span>
          <input aria-label="Sync name" value={form.name} placeholder="e.g. Customers to Kinesis" onChange={(e) => set('name', e.target.value)} />
        </label>
      )}
      <div className="row">
        <label className="field">
          <span>Model (the rows)</span>
          <select aria-label="Model" value={form.model} onChange={(e) => set('model', e.target.value)}>
            {models.length === 0 && <option value="">No models yet</option>}
            {models.map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </label>
        <span className="arrow" aria-hidden="true">
          →
        </span>
        <label className="field">
          <span>Destination (where they go)</span>
          <select aria-label="Destination" value={form.destination} onChange={(e) => set('destination', e.target.value)}>
            {destinations.length === 0 && <option value="">No destinations yet</option>}
            {destinations.map((d) => (
              <option key={d.name} value={d.name}>
                {d.name} ({KIND_LABEL[d.kind]})
              </option>
            ))}
          </select>
        </label>
      </div>
      {restarts && (
        <div className="banner banner-warn" role="note" aria-label="Starts over">
          <strong>Saving starts this sync over.</strong>
          <div>
            With another model or destination, its snapshot{snapshotRows > 0 ? ` of ${fmt.count(snapshotRows, 'row')}` : ''} is dropped and the next run is a
            first run again ({form.initialSync === 'backfill' ? 'every row is sent' : 'nothing is sent, later changes are'}). Its runs and ledger stay.
            {kindChanges && ' Settings of the old destination kind (Kafka message properties, Firehose routes, explicit hash key) are dropped.'}
          </div>
        </div>
      )}

      <fieldset className="group">
        <legend>Send these events</legend>
        {SYNC_EVENTS.map((event) => (
          <label key={event} className="check option">
            <input type="checkbox" checked={form.triggers.includes(event)} onChange={(e) => toggleTrigger(event, e.target.checked)} />
            <span>
              <strong>{TRIGGERS[event].label}</strong> <span className="muted">{TRIGGERS[event].about}</span>
            </span>
          </label>
        ))}
        <p className="muted small">Rows of events left out are recorded as delivered without being sent, so turning one on later does not replay them.</p>
      </fieldset>

      <fieldset className="group">
        <legend>First run</legend>
        <label className="check option">
          <input type="radio" name="initialSync" checked={form.initialSync === 'backfill'} onChange={() => set('initialSync', 'backfill')} />
          <span>
            <strong>Send every row</strong> <span className="muted">The first run sends every row of the model as added.</span>
          </span>
        </label>
        <label className="check option">
          <input type="radio" name="initialSync" checked={form.initialSync === 'baseline'} onChange={() => set('initialSync', 'baseline')} />
          <span>
            <strong>Only later changes</strong>{' '}
            <span className="muted">The first run records every row without sending it; later runs send what changed since.</span>
          </span>
        </label>
        {sync && initialized && !restarts && <p className="muted small">This sync has run already: this choice applies again only if it starts over.</p>}
      </fieldset>

      {destination?.kind === 'kafka' && (
        <fieldset className="group">
          <legend>Kafka</legend>
          <label className="check option">
            <input type="checkbox" checked={form.kafkaTombstones} onChange={(e) => set('kafkaTombstones', e.target.checked)} />
            <span>
              <strong>Send removals as tombstones</strong>{' '}
              <span className="muted">A removed row is sent as its key with a null value, so a compacted topic forgets it.</span>
            </span>
          </label>
          {form.kafkaTombstones && !form.triggers.includes('removed') && <p className="hint small">Tombstones need the “Removed rows” event.</p>}
          <label className="field">
            <span>
              Topic{destination.topic ? ` (empty: the destination's topic, ${destination.topic})` : ' (required: the destination has no topic of its own)'}
            </span>
            <input
              aria-label="Topic"
              value={form.kafkaTopic}
              placeholder={destination.topic ?? 'topic name'}
              onChange={(e) => set('kafkaTopic', e.target.value)}
            />
          </label>
        </fieldset>
      )}

      {destination?.kind === 'firehose' && (
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
          {form.routing && (
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
              <div>
                <button type="button" className="ghost" onClick={() => set('routes', [...form.routes, { match: '', stream: '' }])}>
                  Add a route
                </button>
              </div>
              <label className="field">
                <span>Events no row matches</span>
                <select
                  aria-label="Events no row matches"
                  value={form.unmatched}
                  onChange={(e) => set('unmatched', e.target.value as FirehoseRouting['unmatched'])}
                >
                  <option value="skip">Skip them (not sent, counted as skipped; the run can succeed)</option>
                  <option value="reject">Reject them (each listed as not sent; the run ends partial)</option>
                </select>
              </label>
              <p className="muted small">
                Rows are tried in order; the first match wins; names compare case-insensitively. A skipped row is recorded as delivered: it is looked at again
                only when it changes.
              </p>
            </>
          )}
        </fieldset>
      )}

      <fieldset className="group">
        <legend>Mass-removal limit</legend>
        <label className="field">
          <span>Most a run may remove (% of the rows last delivered)</span>
          <input
            aria-label="Mass-removal limit (%)"
            type="number"
            min={0}
            max={100}
            step={1}
            value={form.maxRemovalPercent}
            placeholder={`${DEFAULT_MAX_REMOVAL_PERCENT} (default)`}
            onChange={(e) => set('maxRemovalPercent', e.target.value)}
          />
        </label>
        <p className="muted small">
          It catches a model that reads empty by mistake (a half-written file, a dropped table); you can still confirm the removals. 100 turns it off.
        </p>
      </fieldset>

      {error !== null && <ErrorBanner error={error} onDismiss={() => (setError(null), dismissError())} />}
      {running && restarts && <p className="hint">The sync is running: wait for the run to end before changing its model or destination.</p>}
      <div className="row">
        <button type="submit" data-shortcut="save" disabled={busy || (running && restarts)}>
          {busy ? 'Saving…' : sync ? 'Save settings' : 'Create sync'}
        </button>
        {onCancel && (
          <button type="button" className="ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
        {!sync && <span className="muted small">The new sync starts with a payload of the model&apos;s columns; edit it in its Payload tab.</span>}
      </div>
    </form>
  );
}
