import { useState } from 'react';
import type { Destination } from '../../../../shared/config/destination';
import type { Sync } from '../../../../shared/config/sync';
import { useSession } from '../../api/context';
import { useDestinations, useDismissable, useModels } from '../../api/queries';
import { ErrorBanner } from '../../components/ErrorBanner';
import { EventsFieldset, FirstRunFieldset, KindSection, ModelAndDestination, RemovalLimitFieldset, StartsOver } from './sync-settings-parts';
import { initialState, toSettings, type SyncSettingsState } from './sync-settings-state';
import { uiKind } from '../../destinations/kinds/registry';

/** The catalog the form picks from, and the form: what the user typed, until then the sync's settings (or a new sync's defaults). */
function useSettingsForm(sync: Sync | undefined) {
  const modelsQuery = useModels();
  const destinationsQuery = useDestinations();
  const models = modelsQuery.data ?? null;
  const destinations = destinationsQuery.data ?? null;
  const [edited, setForm] = useState<SyncSettingsState | null>(null);
  const form = edited ?? (models && destinations ? initialState(sync, models, destinations) : null);
  const [actionError, setError] = useState<unknown>(null);
  const [error, dismissError] = useDismissable(actionError ?? modelsQuery.error ?? destinationsQuery.error);
  return { models, destinations, form, setForm, error, setError, dismissError };
}

function FormActions({
  creating,
  busy,
  blocked,
  onCancel,
}: {
  creating: boolean;
  busy: boolean;
  /** A running sync's model, destination or topic cannot change. */
  blocked: boolean;
  onCancel: (() => void) | undefined;
}) {
  return (
    <>
      {blocked && <p className="hint">The sync is running: wait for the run to end before changing its model, destination or topic.</p>}
      <div className="row">
        <button type="submit" data-shortcut="save" disabled={busy || blocked}>
          {busy ? 'Saving…' : creating ? 'Create sync' : 'Save settings'}
        </button>
        {onCancel && (
          <button type="button" className="ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
        {creating && <span className="muted small">The new sync starts with a payload of the model&apos;s columns; edit it in its Payload tab.</span>}
      </div>
    </>
  );
}

/**
 * Whether saving starts the sync over (another model or destination; `retargets`: another place its own
 * settings send its records, a Kafka topic), and whether the destination's kind changes.
 */
function changesOf(sync: Sync | undefined, form: SyncSettingsState, destinations: Destination[]) {
  if (!sync) return { restarts: false, retargets: false, kindChanges: false };
  const destination = destinations.find((d) => d.name === form.destination);
  const moves = sync.model !== form.model || sync.destination !== form.destination;
  const target = destination ? uiKind(destination.kind).syncSettings?.target : undefined;
  const retargets =
    !moves && destination !== undefined && target !== undefined && target(form, destination) !== target(initialState(sync, [], destinations), destination);
  const kindChanges = destination !== undefined && destinations.find((d) => d.name === sync.destination)?.kind !== destination.kind;
  return { restarts: moves || retargets, retargets, kindChanges };
}

interface Props {
  /** The sync being edited; none to create one. */
  sync?: Sync;
  initialized?: boolean;
  snapshotRows?: number;
  running?: boolean;
  onSaved: (sync: Sync, restarted: boolean) => void;
  onCancel?: () => void;
}

/**
 * The settings of a sync, to create one or edit one: model and destination, name (create), triggers,
 * first run, the mass-removal limit, and the destination kind's own (Kafka tombstones and topic, Firehose
 * routes). The payload stays the payload editor's (a new sync starts with a template of the model's columns).
 */
export function SyncSettingsForm({ sync, initialized = false, snapshotRows = 0, running = false, onSaved, onCancel }: Props) {
  const { api } = useSession();
  const { models, destinations, form, setForm, error, setError, dismissError } = useSettingsForm(sync);
  const [busy, setBusy] = useState(false);

  if (!form || !models || !destinations) return error ? <ErrorBanner error={error} /> : null;
  const set = <K extends keyof SyncSettingsState>(key: K, value: SyncSettingsState[K]) => setForm((f) => ({ ...(f ?? form), [key]: value }));
  const destination = destinations.find((d) => d.name === form.destination);
  const { restarts, retargets, kindChanges } = changesOf(sync, form, destinations);

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
      <ModelAndDestination models={models} destinations={destinations} form={form} set={set} />
      {restarts && (
        <StartsOver
          snapshotRows={snapshotRows}
          form={form}
          because={retargets ? 'With another topic' : 'With another model or destination'}
          kindChanges={kindChanges}
          oldModel={sync && form.model !== sync.model ? sync.model : null}
        />
      )}
      <EventsFieldset form={form} set={set} />
      <FirstRunFieldset form={form} set={set} ranAlready={sync !== undefined && initialized && !restarts} />
      {destination && <KindSection destination={destination} form={form} set={set} />}
      <RemovalLimitFieldset form={form} set={set} />
      {error !== null && <ErrorBanner error={error} onDismiss={() => (setError(null), dismissError())} />}
      <FormActions creating={!sync} busy={busy} blocked={running && restarts} onCancel={onCancel} />
    </form>
  );
}
