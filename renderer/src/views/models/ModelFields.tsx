import type { ModelPreview, Source } from '../../../../shared/config/source';
import { SqlEditor } from '../../editor/lazy';
import { saveHint, wholeFileText } from './model-form';
import { PreviewTable } from './PreviewTable';

/** Said while Save checks and saves the draft, by the buttons and where the user types in the query. */
const LOCKED_WHY = 'Saving what you see: the model can be edited again once every row is checked.';

/** The model's name (fixed once saved) and the source it reads. */
export function NameAndSource({
  name,
  onName,
  fixedName,
  locked,
  sources,
  sourceName,
  onSource,
}: {
  name: string;
  onName: (name: string) => void;
  fixedName: boolean;
  /** Save is checking and saving the draft: nothing can be changed until it is done. */
  locked: boolean;
  sources: readonly Source[];
  sourceName: string;
  onSource: (name: string) => void;
}) {
  return (
    <div className="row">
      <label className="field grow">
        <span>Name</span>
        <input aria-label="Name" value={name} disabled={fixedName || locked} onChange={(e) => onName(e.target.value)} placeholder="e.g. active customers" />
      </label>
      <label className="field grow">
        <span>Source</span>
        <select aria-label="Source" value={sourceName} disabled={locked} onChange={(e) => onSource(e.target.value)}>
          {sources.map((s) => (
            <option key={s.name} value={s.name}>
              {s.name} ({s.kind})
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** A SQL source's query (with completion) and Preview. */
export function QueryField({
  query,
  sourceName,
  onQuery,
  busy,
  locked,
  onPreview,
}: {
  query: string;
  sourceName: string;
  onQuery: (text: string) => void;
  busy: string | null;
  locked: boolean;
  onPreview: () => void;
}) {
  return (
    <>
      <div className="sql-field">
        {/* Not a .field: its span rule would grey every span Monaco draws. */}
        <div className="muted small">SQL query (Ctrl+Space suggests the source’s tables and columns)</div>
        <SqlEditor value={query} source={sourceName} onChange={onQuery} height={180} ariaLabel="SQL query" readOnly={locked} readOnlyWhy={LOCKED_WHY} />
      </div>
      <div className="row">
        <button type="button" className="ghost" data-shortcut="run" disabled={busy !== null} onClick={onPreview}>
          {busy === 'Reading…' ? busy : 'Preview'}
        </button>
      </div>
    </>
  );
}

/** A file source: the whole file is the model. */
export function WholeFile({ source }: { source: Source }) {
  return <p className="muted">{wholeFileText(source.kind)}</p>;
}

/** The preview's rows, and the key picked from its columns. */
export function KeyPicker({
  preview,
  primaryKey,
  locked,
  onToggle,
}: {
  preview: ModelPreview;
  primaryKey: string[];
  locked: boolean;
  onToggle: (column: string, on: boolean) => void;
}) {
  return (
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
              disabled={locked}
              onChange={(e) => onToggle(c.name, e.target.checked)}
            />{' '}
            {c.name}
          </label>
        ))}
      </fieldset>
    </>
  );
}

/** Check the key and Save (what they are doing while busy), with what Save still needs. */
export function ModelButtons({
  busy,
  previewed,
  keyColumns,
  editing,
  saving,
  onCheck,
  onSave,
}: {
  busy: string | null;
  previewed: boolean;
  keyColumns: number;
  editing: boolean;
  saving: boolean;
  onCheck: () => void;
  onSave: () => void;
}) {
  const hint = saving ? LOCKED_WHY : saveHint(previewed, keyColumns);
  return (
    <div className="row">
      <button type="button" className="ghost" disabled={busy !== null || keyColumns === 0} onClick={onCheck}>
        {busy === 'Checking every row…' ? busy : 'Check the key'}
      </button>
      <button type="button" data-shortcut="save" disabled={busy !== null || !previewed || keyColumns === 0} onClick={onSave}>
        {busy === 'Saving…' ? busy : editing ? 'Save changes' : 'Save model'}
      </button>
      {hint && <span className="muted small">{hint}</span>}
    </div>
  );
}
