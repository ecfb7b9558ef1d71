import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Model } from '../../../shared/config/source';
import { useSession } from '../api/context';
import { queryKeys, useDismissable, useModels, useSources, useSyncs } from '../api/queries';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { RenameForm } from '../components/RenameForm';
import { useSelectFromHash } from '../components/select-from-hash';
import { useListSelection } from '../components/use-selection';
import { ModelEditor } from './models/ModelEditor';
import { PreviewTable } from './models/PreviewTable';
import { fmt } from '../../../shared/format/format';

type Panel = { mode: 'view' } | { mode: 'new' } | { mode: 'edit'; model: Model } | { mode: 'rename'; model: Model };

export function ModelsView() {
  const { api } = useSession();
  const lists = [useModels(), useSources(), useSyncs()] as const;
  const [modelsQuery, sourcesQuery, syncsQuery] = lists;
  // The page shows once every list it needs is there (a model's users, the sources to add one from).
  const loaded = lists.every((q) => q.data !== undefined);
  const models = loaded ? (modelsQuery.data ?? null) : null;
  const sources = sourcesQuery.data ?? [];
  const syncs = (syncsQuery.data ?? []).map((x) => x.sync);
  const [selected, setSelected] = useListSelection(models?.map((m) => m.name));
  const [actionError, setError] = useState<unknown>(null);
  const [panel, setPanel] = useState<Panel>({ mode: 'view' });
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // A jump from the palette (Ctrl/Cmd+K).
  useSelectFromHash('models', (name) => {
    setSelected(name);
    setPanel({ mode: 'view' });
  });

  const model = models?.find((m) => m.name === selected);
  const previewQuery = useQuery({
    queryKey: queryKeys.modelPreview(selected ?? '', model ? JSON.stringify(model) : '', 50),
    queryFn: () => api.previewModel({ model: selected!, limit: 50 }),
    enabled: model !== undefined,
  });
  const [error, dismissError] = useDismissable(actionError ?? lists.find((q) => q.error)?.error ?? previewQuery.error);

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
  const rename = (from: string, to: string) =>
    act(async () => {
      await api.renameModel({ from, to });
      setSelected(to);
      setPanel({ mode: 'view' });
      const users = syncs.filter((s) => s.model === from).length;
      return `Renamed "${from}" to "${to}"${users ? ` (${fmt.count(users, 'sync')} updated; their history is kept)` : ''}.`;
    });
  const remove = (name: string) => {
    if (!window.confirm(`Delete the model "${name}"? Its source and data are not touched.`)) return;
    void act(async () => {
      await api.deleteModel({ name });
      return `Deleted "${name}".`;
    });
  };

  if (models === null) return error ? <ErrorBanner error={error} /> : null;
  if (panel.mode === 'new' || panel.mode === 'edit') {
    return (
      <div className="page">
        <h1>Models</h1>
        <ModelEditor
          sources={sources}
          editing={panel.mode === 'edit' ? panel.model : undefined}
          onCancel={() => setPanel({ mode: 'view' })}
          onDone={(name) => {
            setPanel({ mode: 'view' });
            setSelected(name);
            setNotice(`Saved "${name}".`);
          }}
        />
      </div>
    );
  }
  if (sources.length === 0 && models.length === 0) {
    return (
      <EmptyState title="Start with a source">
        <p>A model is a SQL query, or a whole CSV or NDJSON file, whose rows have a primary key. It reads a source: add one first.</p>
        <button type="button" onClick={() => (window.location.hash = '/sources?new')}>
          Add a source
        </button>
      </EmptyState>
    );
  }
  const addButton = (
    <button type="button" onClick={() => setPanel({ mode: 'new' })}>
      Add a model
    </button>
  );
  if (models.length === 0) {
    return (
      <EmptyState title="Next: add a model">
        <p>A model is a SQL query over a database source, or a whole CSV or NDJSON file, whose rows have a primary key.</p>
        <p>You will see its first rows, pick the key, and Sluice checks every row before it is saved.</p>
        {addButton}
      </EmptyState>
    );
  }
  const preview = previewQuery.data ?? null;
  const users = model ? syncs.filter((s) => s.model === model.name).map((s) => s.name) : [];
  return (
    <div className="page split">
      <aside className="list" aria-label="Models">
        <div className="row spread page-head">
          <h1>Models</h1>
          {addButton}
        </div>
        {models.map((m) => (
          <button
            key={m.name}
            type="button"
            className={`list-item ${m.name === selected ? 'active' : ''}`}
            onClick={() => (setSelected(m.name), setPanel({ mode: 'view' }), setNotice(null))}
          >
            <strong>{m.name}</strong>
            <span className="muted">
              {m.source} · key {m.primaryKey.join(', ')}
            </span>
          </button>
        ))}
      </aside>
      <section className="detail">
        {notice && (
          <div className="banner banner-ok" role="status">
            {notice}
          </div>
        )}
        {error !== null && <ErrorBanner error={error} onDismiss={() => (setError(null), dismissError())} />}
        {model && (
          <>
            <div className="row spread page-head">
              <h2>{model.name}</h2>
              <div className="row nowrap">
                <button type="button" className="ghost" aria-label={`Edit ${model.name}`} onClick={() => setPanel({ mode: 'edit', model })}>
                  Edit
                </button>
                <button type="button" className="ghost" aria-label={`Rename ${model.name}`} onClick={() => setPanel({ mode: 'rename', model })}>
                  Rename
                </button>
                <button type="button" className="ghost" aria-label={`Delete ${model.name}`} disabled={busy} onClick={() => remove(model.name)}>
                  Delete
                </button>
              </div>
            </div>
            <p className="muted">
              Reads <strong>{model.source}</strong> · key {model.primaryKey.join(' + ')}
              {users.length > 0 && ` · sent by ${users.join(', ')}`}
            </p>
            {panel.mode === 'rename' && panel.model.name === model.name && (
              <RenameForm
                what="model"
                name={model.name}
                busy={busy}
                onRename={(to) => void rename(model.name, to)}
                onCancel={() => setPanel({ mode: 'view' })}
              />
            )}
            {model.query && <pre className="code">{model.query}</pre>}
            {preview && <PreviewTable preview={preview} primaryKey={model.primaryKey} />}
          </>
        )}
      </section>
    </div>
  );
}
