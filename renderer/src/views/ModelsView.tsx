import { useEffect, useReducer, useState } from 'react';
import type { Model, ModelPreview } from '../../../shared/config/source';
import { useSession } from '../api/context';
import { useCatalogChanged } from '../api/useCatalogChanged';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';

function cell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function ModelsView() {
  const { api } = useSession();
  const [models, setModels] = useState<Model[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [preview, setPreview] = useState<ModelPreview | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [catalogRevision, catalogChanged] = useReducer((n: number) => n + 1, 0);
  useCatalogChanged(catalogChanged);

  useEffect(() => {
    api.listModels({}).then((list) => {
      setModels(list);
      setSelected((s) => (s !== null && list.some((m) => m.name === s) ? s : (list[0]?.name ?? null)));
    }, setError);
  }, [api, catalogRevision]);

  useEffect(() => {
    if (!selected) return;
    let stale = false;
    api.previewModel({ model: selected, limit: 50 }).then(
      (p) => !stale && (setPreview(p), setError(null)),
      (e: unknown) => !stale && (setPreview(null), setError(e)),
    );
    return () => {
      stale = true;
    };
  }, [api, selected, catalogRevision]);

  if (models === null) return error ? <ErrorBanner error={error} /> : null;
  if (models.length === 0) {
    return (
      <EmptyState title="No models yet">
        <p>A model is a SQL query, or a SQLite, CSV or NDJSON file, whose rows have a primary key.</p>
        <p>Add one with <code>sluice apply -f sluice.yaml</code>; it appears here with a preview of its first rows, column names and types.</p>
      </EmptyState>
    );
  }
  const model = models.find((m) => m.name === selected);
  return (
    <div className="page split">
      <aside className="list" aria-label="Models">
        <h1>Models</h1>
        {models.map((m) => (
          <button key={m.name} type="button" className={`list-item ${m.name === selected ? 'active' : ''}`} onClick={() => setSelected(m.name)}>
            <strong>{m.name}</strong>
            <span className="muted">
              {m.source} · key {m.primaryKey.join(', ')}
            </span>
          </button>
        ))}
      </aside>
      <section className="detail">
        {model && (
          <>
            <h2>{model.name}</h2>
            {model.query && <pre className="code">{model.query}</pre>}
            {error !== null && <ErrorBanner error={error} />}
            {preview && (
              <div className="table-scroll">
                <table className="table" aria-label="Preview">
                  <thead>
                    <tr>
                      {preview.columns.map((c) => (
                        <th key={c.name}>
                          {c.name}
                          {model.primaryKey.includes(c.name) && <span className="badge pk" title="primary key">key</span>}
                          <div className="muted type">{c.type}</div>
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {preview.rows.map((row, i) => (
                      <tr key={i}>
                        {preview.columns.map((c) => (
                          <td key={c.name} className={row[c.name] === null ? 'null' : undefined}>
                            {cell(row[c.name])}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
                <p className="muted">{preview.truncated ? `First ${preview.rows.length} rows` : `${preview.rows.length} rows`}</p>
              </div>
            )}
          </>
        )}
      </section>
    </div>
  );
}
