import { useState } from 'react';
import type { Destination } from '../../../../shared/config/destination';
import type { Sync } from '../../../../shared/config/sync';
import { useSession } from '../../api/context';
import type { SyncSettingsInput } from '../../../../shared/ipc/channels/sync-admin';
import { useDestinations, useDismissable, useModels, useSyncSettingsPreview } from '../../api/queries';
import { AskToLeave } from '../../components/DiscardDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useLeaveGuard, type LeaveGuard } from '../../components/use-leave-guard';
import { SluiceError } from '../../../../shared/ipc/errors';
import { EventsFieldset, FirstRunFieldset, KindSection, ModelAndDestination, RemovalLimitFieldset } from './sync-settings-parts';
import { StartsOver, startsOverBecause } from './StartsOver';
import { formProblems, initialState, toSettings, type SyncSettingsState } from './sync-settings-state';
import { uiKind } from '../../destinations/kinds/registry';

/** The catalog the form picks from, and the form: what the user typed, until then the sync's settings (or a new sync's defaults). */
function useSettingsForm(sync: Sync | undefined) {
  const modelsQuery = useModels();
  const destinationsQuery = useDestinations();
  const models = modelsQuery.data ?? null;
  const destinations = destinationsQuery.data ?? null;
  const [edited, setForm] = useState<SyncSettingsState | null>(null);
  const opened = models && destinations ? initialState(sync, models, destinations) : null;
  const form = edited ?? opened;
  // Leaving with changes asks first. Discard puts the saved settings back: a move that then stays (a run or
  // a rename the engine refuses) shows the form as saved, not the changes discarded.
  const guard = useLeaveGuard(edited !== null && JSON.stringify(edited) !== JSON.stringify(opened), () => setForm(null));
  const [actionError, setError] = useState<unknown>(null);
  const [error, dismissError] = useDismissable(actionError ?? modelsQuery.error ?? destinationsQuery.error);
  return { models, destinations, form, setForm, error, setError, dismissError, guard };
}

/** Save, Cancel (asked first with changes), and the question on leaving the form with changes. */
function FormActions({
  sync,
  busy,
  blocked,
  onCancel,
  guard,
}: {
  /** The sync edited; none when creating one. */
  sync: Sync | undefined;
  busy: boolean;
  /** A running sync's model, destination, topic or routes cannot change. */
  blocked: boolean;
  onCancel: (() => void) | undefined;
  guard: LeaveGuard;
}) {
  const creating = sync === undefined;
  return (
    <>
      {blocked && <p className="hint">The sync is running: wait for the run to end before changing its model, destination, topic or routes.</p>}
      <div className="row">
        <button type="submit" data-shortcut="save" disabled={busy || blocked}>
          {busy ? 'Saving…' : creating ? 'Create sync' : 'Save settings'}
        </button>
        {onCancel && (
          <button type="button" className="ghost" onClick={() => guard.leave(onCancel)}>
            Cancel
          </button>
        )}
        {creating && <span className="muted small">The new sync starts with a payload of the model&apos;s columns; edit it in its Payload tab.</span>}
      </div>
      <AskToLeave guard={guard} title={creating ? 'Discard this new sync?' : `Discard your changes to the settings of “${sync.name}”?`} />
    </>
  );
}

/**
 * Whether saving starts the sync over, and why: another model or destination (seen here), or another place its
 * own settings send its records (a Kafka topic, Firehose routes: the engine's answer, `previewSyncSettings`,
 * the save's own rule); and whether the destination's kind changes.
 */
function useChanges(sync: Sync | undefined, form: SyncSettingsState, destinations: Destination[]) {
  const destination = destinations.find((d) => d.name === form.destination);
  let settings: SyncSettingsInput | null = null;
  try {
    settings = sync ? toSettings(form, destination) : null;
  } catch {
    // Settings that cannot be saved (a mass-removal limit typed wrong) start nothing over: the save says what is wrong.
  }
  const preview = useSyncSettingsPreview(sync?.name, settings).data;
  if (!sync) return { restarts: false, because: '', kindChanges: false };
  const moves = sync.model !== form.model || sync.destination !== form.destination;
  const retargets = !moves && preview?.startsOver === 'retargeted';
  const kindChanges = destination !== undefined && destinations.find((d) => d.name === sync.destination)?.kind !== destination.kind;
  const because = startsOverBecause(moves ? 'moved' : 'retargeted', destination ? uiKind(destination.kind).syncSettings?.elsewhere : undefined);
  return { restarts: moves || retargets, because, kindChanges };
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
  const { models, destinations, form, setForm, error, setError, dismissError, guard } = useSettingsForm(sync);
  const [busy, setBusy] = useState(false);

  const { restarts, because, kindChanges } = useChanges(sync, form ?? initialState(sync, [], []), destinations ?? []);

  if (!form || !models || !destinations) return error ? <ErrorBanner error={error} /> : null;
  const set = <K extends keyof SyncSettingsState>(key: K, value: SyncSettingsState[K]) => setForm((f) => ({ ...(f ?? form), [key]: value }));
  const destination = destinations.find((d) => d.name === form.destination);

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const problems = formProblems(form, !sync);
      if (problems.length > 0) throw new SluiceError('invalid-input', 'Some settings are not valid', problems);
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
          initialSync={form.initialSync}
          because={because}
          kindChanges={kindChanges}
          models={sync && form.model !== sync.model ? { from: sync.model, to: form.model } : null}
        />
      )}
      <EventsFieldset form={form} set={set} />
      <FirstRunFieldset form={form} set={set} ranAlready={sync !== undefined && initialized && !restarts} />
      {destination && <KindSection destination={destination} form={form} set={set} />}
      <RemovalLimitFieldset form={form} set={set} />
      {error !== null && <ErrorBanner error={error} onDismiss={() => (setError(null), dismissError())} />}
      <FormActions sync={sync} busy={busy} blocked={running && restarts} onCancel={onCancel} guard={guard} />
    </form>
  );
}
