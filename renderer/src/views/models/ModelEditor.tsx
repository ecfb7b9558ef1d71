import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { isSqlSource, ModelSchema, type Model, type ModelPreview, type Source } from '../../../../shared/config/source';
import type { KeyCheck } from '../../../../shared/config/source-admin';
import { issuesFromZod, SluiceError } from '../../../../shared/ipc/errors';
import { useSession } from '../../api/context';
import { queryKeys, useDismissable } from '../../api/queries';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAction } from '../../components/useAction';
import { SqlEditor } from '../../editor/lazy';
import { forgetSchemas, setSchemaFetcher } from '../../editor/sql-schema';
import { KeyCheckResult } from './KeyCheckResult';
import { PreviewTable } from './PreviewTable';

const isSql = (s: Source | undefined) => s !== undefined && isSqlSource(s.kind);

/**
 * Create or edit a model: a SQL query (with completion of the source's tables and columns) or the whole
 * file, a preview of its first rows, a primary key picked from the preview's columns and checked over
 * every row before it is saved.
 */
export function ModelEditor({ sources, editing, onDone, onCancel }: { sources: Source[]; editing?: Model; onDone(name: string): void; onCancel(): void }) {
  const { api } = useSession();
  const [name, setName] = useState(editing?.name ?? '');
  const [sourceName, setSourceName] = useState(editing?.source ?? sources[0]?.name ?? '');
  const [query, setQuery] = useState(editing?.query ?? '');
  const [primaryKey, setPrimaryKey] = useState<string[]>(editing?.primaryKey ?? []);
  /** The preview asked for in this editor (null: cleared); undefined until the user asks for one. */
  const [asked, setPreview] = useState<ModelPreview | null | undefined>(undefined);
  const [check, setCheck] = useState<KeyCheck | null>(null);
  const { busy, setBusy, error, setError, run } = useAction();
  const source = sources.find((s) => s.name === sourceName);
  const sql = isSql(source);

  useEffect(() => {
    setSchemaFetcher(async (s) => (await api.sourceSchema({ source: s })).tables);
    return api.on('catalogChanged', forgetSchemas);
  }, [api]);

  const previewOf = (from: Source, text: string) =>
    run('Reading…', async () => {
      const p = await api.previewModelDraft({ source: from.name, ...(isSql(from) ? { query: text } : {}), limit: 20 });
      setPreview(p);
      setPrimaryKey((k) => k.filter((c) => p.columns.some((col) => col.name === c)));
    });

  /** A file has nothing to write: its preview comes at once. */
  const chooseSource = (next: string) => {
    setSourceName(next);
    setPreview(null);
    setCheck(null);
    const chosen = sources.find((s) => s.name === next);
    if (chosen && !isSql(chosen)) void previewOf(chosen, '');
  };
  // The preview the editor opens with (a file, or a saved query being edited), until the user asks for another.
  const [opening] = useState(() =>
    source && (!isSql(source) || (editing && query.trim())) ? { source: source.name, query: isSql(source) ? query : '' } : null,
  );
  const first = useQuery({
    queryKey: queryKeys.modelDraftPreview(opening?.source ?? '', opening?.query ?? '', 20),
    queryFn: () => api.previewModelDraft({ source: opening!.source, ...(opening!.query ? { query: opening!.query } : {}), limit: 20 }),
    enabled: opening !== null && asked === undefined,
  });
  const preview = asked === undefined ? (first.data ?? null) : asked;
  const [firstError, dismissFirstError] = useDismissable(asked === undefined ? first.error : null);

  const model = (): Model => {
    const parsed = ModelSchema.safeParse({ name: name.trim(), source: sourceName, ...(sql ? { query } : {}), primaryKey });
    if (!parsed.success) throw new SluiceError('invalid-input', 'The model is not complete yet', issuesFromZod(parsed.error));
    return parsed.data;
  };

  const checkKey = () =>
    run('Checking every row…', async () => {
      setCheck(await api.checkModelKeys({ model: model() }));
    });

  const save = () =>
    run('Checking every row…', async () => {
      const m = model();
      const result = await api.checkModelKeys({ model: m });
      setCheck(result);
      if (!result.unique) return;
      setBusy('Saving…');
      const saved = await api.saveModel({ model: m, mode: editing ? 'update' : 'create' });
      onDone(saved.model.name);
    });

  const toggleKey = (column: string, on: boolean) => {
    setCheck(null);
    setPrimaryKey((k) => (on ? [...k.filter((c) => c !== column), column] : k.filter((c) => c !== column)));
  };

  return (
    <section className="card wizard" aria-label={editing ? `Edit ${editing.name}` : 'New model'}>
      <div className="row spread">
        <h2>{editing ? `Edit “${editing.name}”` : 'New model'}</h2>
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {error === null && firstError !== null && <ErrorBanner error={firstError} onDismiss={dismissFirstError} />}
      <div className="wizard-form">
        <div className="row">
          <label className="field grow">
            <span>Name</span>
            <input
              aria-label="Name"
              value={name}
              disabled={editing !== undefined}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. active customers"
            />
          </label>
          <label className="field grow">
            <span>Source</span>
            <select aria-label="Source" value={sourceName} onChange={(e) => chooseSource(e.target.value)}>
              {sources.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name} ({s.kind})
                </option>
              ))}
            </select>
          </label>
        </div>
        {sql ? (
          <div className="sql-field">
            {/* Not a .field: its span rule would grey every span Monaco draws. */}
            <div className="muted small">SQL query (Ctrl+Space suggests the source’s tables and columns)</div>
            <SqlEditor value={query} source={sourceName} onChange={(text) => (setQuery(text), setCheck(null))} height={180} ariaLabel="SQL query" />
          </div>
        ) : (
          source && <p className="muted">The whole file is the model: every row of {source.kind === 'csv' ? 'the CSV file' : 'the NDJSON file'}.</p>
        )}
        {sql && (
          <div className="row">
            <button type="button" className="ghost" data-shortcut="run" disabled={busy !== null} onClick={() => source && void previewOf(source, query)}>
              {busy === 'Reading…' ? busy : 'Preview'}
            </button>
          </div>
        )}
        {preview && (
          <>
            <PreviewTable preview={preview} primaryKey={primaryKey} />
            <fieldset className="key-picker" aria-label="Primary key">
              <legend>Primary key: the column (or columns) that identify a row</legend>
              {preview.columns.map((c) => (
                <label key={c.name} className="check">
                  <input
                    type="checkbox"
                    aria-label={`Key column ${c.name}`}
                    checked={primaryKey.includes(c.name)}
                    onChange={(e) => toggleKey(c.name, e.target.checked)}
                  />{' '}
                  {c.name}
                </label>
              ))}
            </fieldset>
          </>
        )}
        {check && <KeyCheckResult check={check} />}
        <div className="row">
          <button type="button" className="ghost" disabled={busy !== null || primaryKey.length === 0} onClick={() => void checkKey()}>
            {busy === 'Checking every row…' ? busy : 'Check the key'}
          </button>
          <button type="button" data-shortcut="save" disabled={busy !== null || !preview || primaryKey.length === 0} onClick={() => void save()}>
            {busy === 'Saving…' ? busy : editing ? 'Save changes' : 'Save model'}
          </button>
          {!preview && <span className="muted small">Preview the model, then pick its primary key.</span>}
          {preview && primaryKey.length === 0 && <span className="muted small">Pick the primary key from the preview’s columns.</span>}
        </div>
      </div>
    </section>
  );
}
