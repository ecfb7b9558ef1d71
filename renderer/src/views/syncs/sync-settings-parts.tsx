import type { Destination } from '../../../../shared/config/destination';
import type { Model } from '../../../../shared/config/source';
import { DEFAULT_MAX_REMOVAL_PERCENT, SYNC_EVENTS, type SyncEvent } from '../../../../shared/config/sync';
import { uiKind } from '../../destinations/kinds/registry';
import { removalLimitProblem, type SyncSettingsState } from './sync-settings-state';

const TRIGGERS: Record<SyncEvent, { label: string; about: string }> = {
  added: { label: 'Added rows', about: 'A row whose key was not in the model at the last run is sent as added.' },
  changed: { label: 'Changed rows', about: 'A row whose values differ from what was last delivered is sent as changed.' },
  removed: { label: 'Removed rows', about: 'A row that is no longer in the model is sent as removed, with its last delivered values.' },
};

export type SetField = <K extends keyof SyncSettingsState>(key: K, value: SyncSettingsState[K]) => void;

/** The destination kind's own settings (Kafka tombstones and topic, Firehose routes), if it has any. */
export function KindSection({ destination, form, set }: { destination: Destination; form: SyncSettingsState; set: SetField }) {
  const kind = uiKind(destination.kind);
  if (!kind.syncSettings) return null;
  return <kind.syncSettings.Section destination={destination} form={form} set={set} />;
}

export function ModelAndDestination({
  models,
  destinations,
  form,
  set,
}: {
  models: Model[];
  destinations: Destination[];
  form: SyncSettingsState;
  set: SetField;
}) {
  return (
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
              {d.name} ({uiKind(d.kind).shortLabel})
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

export function EventsFieldset({ form, set }: { form: SyncSettingsState; set: SetField }) {
  const toggleTrigger = (event: SyncEvent, on: boolean) => set('triggers', on ? [...form.triggers, event] : form.triggers.filter((t) => t !== event));
  return (
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
  );
}

export function FirstRunFieldset({ form, set, ranAlready }: { form: SyncSettingsState; set: SetField; ranAlready: boolean }) {
  return (
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
      {ranAlready && <p className="muted small">This sync has run already: this choice applies again only if it starts over.</p>}
    </fieldset>
  );
}

export function RemovalLimitFieldset({ form, set }: { form: SyncSettingsState; set: SetField }) {
  return (
    <fieldset className="group">
      <legend>Mass-removal limit</legend>
      <label className="field">
        <span>Most a run may remove (% of the rows last delivered)</span>
        <input
          aria-label="Mass-removal limit (%)"
          type="text"
          inputMode="decimal"
          autoComplete="off"
          aria-invalid={removalLimitProblem(form) ? true : undefined}
          value={form.maxRemovalPercent}
          placeholder={`${DEFAULT_MAX_REMOVAL_PERCENT} (default)`}
          onChange={(e) => set('maxRemovalPercent', e.target.value)}
        />
        {removalLimitProblem(form) && <small className="field-error">{removalLimitProblem(form)}</small>}
      </label>
      <p className="muted small">
        It catches a model that reads empty by mistake (a half-written file, a dropped table); you can still confirm the removals. 100 turns it off.
      </p>
    </fieldset>
  );
}
