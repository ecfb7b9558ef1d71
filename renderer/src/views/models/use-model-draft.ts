import { useEffect, useState } from 'react';
import { zodWords } from '../../../../shared/zod-words';
import { isSqlSource, ModelSchema, type Model, type ModelPreview, type Source } from '../../../../shared/config/source';
import type { KeyCheck } from '../../../../shared/config/source-admin';
import { issuesFromZod, SluiceError } from '../../../../shared/ipc/errors';
import { useSession } from '../../api/context';
import { useDismissable, useModelDraftPreview } from '../../api/queries';
import { useAction } from '../../components/useAction';
import { forgetSchemas, setSchemaFetcher } from '../../editor/sql-schema';
import { keptKey, toggledKey } from './model-form';
import { useModelSave } from './use-model-save';

const isSql = (s: Source | undefined) => s !== undefined && isSqlSource(s.kind);

/** The model as typed, checked by the contract's schema (field errors say which field). */
function parsedModel(typed: unknown): Model {
  const parsed = ModelSchema.safeParse(typed, { error: zodWords });
  if (!parsed.success) throw new SluiceError('invalid-input', 'The model is not complete yet', issuesFromZod(parsed.error));
  return parsed.data;
}

/** Completion of the sources' tables and columns in the SQL editor, forgotten when the catalog changes. */
function useSqlCompletion() {
  const { api } = useSession();
  useEffect(() => {
    setSchemaFetcher(async (s) => (await api.sourceSchema({ source: s })).tables);
    return api.on('catalogChanged', forgetSchemas);
  }, [api]);
}

/**
 * The preview the editor opens with (a file, or a saved query being edited), until the user asks for
 * another (`asked`, null once cleared); its error stays dismissable.
 */
function useOpeningPreview(source: Source | undefined, editing: Model | undefined, query: string, asked: ModelPreview | null | undefined) {
  const [opening] = useState(() =>
    source && (!isSql(source) || (editing && query.trim())) ? { source: source.name, query: isSql(source) ? query : '' } : null,
  );
  const first = useModelDraftPreview(opening, 20, asked === undefined);
  const [firstError, dismissFirstError] = useDismissable(asked === undefined ? first.error : null);
  return { preview: asked === undefined ? (first.data ?? null) : asked, firstError, dismissFirstError };
}

/**
 * A model being written: its name, source, query and key; the preview (the one it opens with, then the
 * one asked for) and the key check; Preview, Check the key and Save.
 */
export function useModelDraft(sources: Source[], editing: Model | undefined, onDone: (name: string) => void) {
  const { api } = useSession();
  const [name, setName] = useState(editing?.name ?? '');
  const [sourceName, setSourceName] = useState(editing?.source ?? sources[0]?.name ?? '');
  const [query, setQuery] = useState(editing?.query ?? '');
  const [primaryKey, setPrimaryKey] = useState<string[]>(editing?.primaryKey ?? []);
  /** The preview asked for in this editor (null: cleared); undefined until the user asks for one. */
  const [asked, setPreview] = useState<ModelPreview | null | undefined>(undefined);
  /** The last key check's answer, with the draft it checked (`scope`). */
  const [checked, setChecked] = useState<{ scope: string; result: KeyCheck } | null>(null);
  const { busy, setBusy, error, setError, run } = useAction();
  const source = sources.find((s) => s.name === sourceName);
  const sql = isSql(source);

  useSqlCompletion();

  // A check says what it checked: shown only while the source, query and key are still those (so an
  // answer that comes after the key was changed is not shown under the new key).
  const scope = JSON.stringify([sourceName, sql ? query : '', primaryKey]);
  const check = checked?.scope === scope ? checked.result : null;
  /** A key check's answer, for the draft of this render (the one Check the key or Save was clicked on). */
  const keepCheck = (result: KeyCheck) => setChecked({ scope, result });

  const previewOf = (from: Source, text: string) =>
    run('Reading…', async () => {
      const p = await api.previewModelDraft({ source: from.name, ...(isSql(from) ? { query: text } : {}), limit: 20 }).catch((err: unknown) => {
        // No rows of another query under the error; the key stays picked for when the columns come back.
        setPreview(null);
        throw err;
      });
      setPreview(p);
      setPrimaryKey((k) => keptKey(k, p.columns));
    });

  /** A file has nothing to write: its preview comes at once. */
  const chooseSource = (next: string) => {
    setSourceName(next);
    setPreview(null);
    const chosen = sources.find((s) => s.name === next);
    if (chosen && !isSql(chosen)) void previewOf(chosen, '');
  };
  const { preview, firstError, dismissFirstError } = useOpeningPreview(source, editing, query, asked);

  const model = () => parsedModel({ name: name.trim(), source: sourceName, ...(sql ? { query } : {}), primaryKey });

  const checkKey = () =>
    run('Checking every row…', async () => {
      keepCheck(await api.checkModelKeys({ model: model() }));
    });

  const draftKey = JSON.stringify([name.trim(), sourceName, sql ? query : '', primaryKey]);
  /** Save, whether it is going, and its question about columns syncs use (`drops`). */
  const saveState = useModelSave({ editing, model, draftKey, run, setBusy, setCheck: keepCheck, onDone });

  const toggleKey = (column: string, on: boolean) => setPrimaryKey((k) => toggledKey(k, column, on));

  return {
    name,
    setName,
    sourceName,
    source,
    sql,
    query,
    setQuery,
    primaryKey,
    preview,
    check,
    ...saveState,
    busy,
    error,
    setError,
    firstError,
    dismissFirstError,
    chooseSource,
    previewOf,
    checkKey,
    toggleKey,
  };
}
