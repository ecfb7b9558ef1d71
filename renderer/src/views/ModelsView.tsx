import { useState } from 'react';
import type { Model } from '../../../shared/config/source';
import { useSession } from '../api/context';
import { useDismissable, useModelPreview, useModels, useSources, useSyncs } from '../api/queries';
import { inUseWords } from '../../../shared/config/in-use';
import { renamedNotice, usersOf } from '../components/catalog-text';
import { ConfirmDelete } from '../components/ConfirmDelete';
import { ErrorBanner } from '../components/ErrorBanner';
import { askFirst } from '../components/leave-guard';
import { useSelectFromHash } from '../components/select-from-hash';
import { useListSelection } from '../components/use-selection';
import { ModelDetail } from './models/ModelDetail';
import { ModelEditor } from './models/ModelEditor';
import { ModelList, NoModelYet, NoSourceYet } from './models/ModelList';
import { Notice } from '../components/Notice';

type Panel = { mode: 'view' } | { mode: 'new' } | { mode: 'edit'; model: Model } | { mode: 'rename'; model: Model };

/** The models' lists and the one action at a time: busy while it goes, its notice or its error after. */
function useModelsPage() {
  const { api } = useSession();
  const lists = [useModels(), useSources(), useSyncs()] as const;
  const [modelsQuery, sourcesQuery, syncsQuery] = lists;
  // The page shows once every list it needs is there (a model's users, the sources to add one from).
  const loaded = lists.every((q) => q.data !== undefined);
  const [actionError, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const act = async (work: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      setNotice(await work());
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const syncs = (syncsQuery.data ?? []).map((x) => x.sync);
  /** A model a sync sends is refused at once, naming the syncs (not asked, then refused by the engine). */
  const refusedInUse = (name: string) => {
    const users = usersOf(syncs, 'model', name);
    if (users.length > 0) setError(new Error(inUseWords({ kind: 'model', name }, { kind: 'sync', names: users })));
    return users.length > 0;
  };
  /** The model whose Delete asks (in-app, as a sync's); one a sync sends is refused at once instead. */
  const [deleting, setDeleting] = useState<string | null>(null);
  const deletion = {
    name: deleting,
    ask: (name: string) => {
      if (!refusedInUse(name)) setDeleting(name);
    },
    cancel: () => setDeleting(null),
    confirm: () => {
      const name = deleting;
      if (name === null) return;
      void act(async () => {
        try {
          await api.deleteModel({ name });
          return `Deleted "${name}".`;
        } finally {
          setDeleting(null);
        }
      });
    },
  };
  return {
    deletion,
    models: loaded ? (modelsQuery.data ?? null) : null,
    sources: sourcesQuery.data ?? [],
    syncs,
    refusedInUse,
    listError: lists.find((q) => q.error)?.error,
    actionError,
    setError,
    notice,
    setNotice,
    busy,
    act,
  };
}

export function ModelsView() {
  const { api } = useSession();
  const { models, sources, syncs, listError, actionError, setError, notice, setNotice, busy, act, deletion } = useModelsPage();
  const [selected, setSelected] = useListSelection(models?.map((m) => m.name));
  const [panel, setPanel] = useState<Panel>({ mode: 'view' });
  const open = (name: string) => {
    setSelected(name);
    setPanel({ mode: 'view' });
  };

  // A jump from the palette (Ctrl/Cmd+K).
  useSelectFromHash('models', open);

  const model = models?.find((m) => m.name === selected);
  const previewQuery = useModelPreview(model, 50);
  // (the preview's error is said on the model, where its rows go: it was this banner's, twice, the second time labelled "Path:")
  const [error, dismissError] = useDismissable(actionError ?? listError);

  const rename = (from: string, to: string) =>
    act(async () => {
      await api.renameModel({ from, to });
      open(to);
      return renamedNotice(from, to, usersOf(syncs, 'model', from).length, 'sync', '; their history is kept');
    });

  if (models === null) return error ? <ErrorBanner error={error} /> : null;
  if (panel.mode === 'new' || panel.mode === 'edit') {
    const saved = (name: string) => {
      open(name);
      setNotice(`Saved "${name}".`);
    };
    return (
      <div className="page">
        <h1>Models</h1>
        <ModelEditor sources={sources} editing={panel.mode === 'edit' ? panel.model : undefined} onCancel={() => setPanel({ mode: 'view' })} onDone={saved} />
      </div>
    );
  }
  if (sources.length === 0 && models.length === 0) return <NoSourceYet />;
  const addButton = (
    <button type="button" onClick={() => askFirst(() => setPanel({ mode: 'new' }))}>
      Add a model
    </button>
  );
  if (models.length === 0) return <NoModelYet addButton={addButton} />;
  return (
    <div className="page split">
      <ModelList models={models} selected={selected} addButton={addButton} onOpen={(name) => askFirst(() => (open(name), setNotice(null)))} />
      <section className="detail">
        {notice && <Notice text={notice} onDismiss={() => setNotice(null)} />}
        {error !== null && <ErrorBanner error={error} onDismiss={() => (setError(null), dismissError())} />}
        {model && (
          <ModelDetail
            model={model}
            users={usersOf(syncs, 'model', model.name)}
            preview={previewQuery.data ?? null}
            previewError={previewQuery.error}
            renaming={panel.mode === 'rename' && panel.model.name === model.name}
            busy={busy}
            onEdit={() => askFirst(() => setPanel({ mode: 'edit', model }))}
            onRename={() => setPanel({ mode: 'rename', model })}
            onRenamed={(to) => void rename(model.name, to)}
            onCancelRename={() => setPanel({ mode: 'view' })}
            onRenameTyping={() => (setError(null), dismissError())}
            onDelete={() => deletion.ask(model.name)}
          />
        )}
        {deletion.name !== null && (
          <ConfirmDelete what="model" name={deletion.name} busy={busy} onCancel={deletion.cancel} onConfirm={deletion.confirm}>
            Its source and data are not touched.
          </ConfirmDelete>
        )}
      </section>
    </div>
  );
}
