import type { SecretRef } from '../../../../shared/ipc/contract';
import { WHOLE_NUMBER_INPUT } from '../../components/whole-number';
import type { SecretField } from '../destinations/wizard-form';
import { SecretInput } from '../destinations/SecretInput';
import { emptySourceForm, pathLabel, pathPlaceholder, portProblem, SOURCE_KINDS, type SourceForm } from './source-form';

type SetField = <K extends keyof SourceForm>(key: K, value: SourceForm[K]) => void;

/** The source type: choosing another keeps the name and path, and starts the rest afresh. */
export function SourceKindPicker({ kind, onPick }: { kind: SourceForm['kind']; onPick: (change: (f: SourceForm) => SourceForm) => void }) {
  return (
    <div className="kind-picker" role="radiogroup" aria-label="Source type">
      {SOURCE_KINDS.map((k) => (
        <button
          key={k.kind}
          type="button"
          role="radio"
          aria-checked={kind === k.kind}
          className={`list-item${kind === k.kind ? ' active' : ''}`}
          onClick={() => onPick((f) => ({ ...emptySourceForm(k.kind), name: f.name, path: f.path }))}
        >
          <strong>{k.label}</strong>
          <span className="muted small">{k.about}</span>
        </button>
      ))}
    </div>
  );
}

/** A PostgreSQL server: where, which database, who, the password and TLS. */
export function PostgresFields({ form, set, passwordField, secrets }: { form: SourceForm; set: SetField; passwordField: SecretField; secrets: SecretRef[] }) {
  return (
    <>
      <div className="row">
        <label className="field grow">
          <span>Host</span>
          <input aria-label="Host" value={form.host} onChange={(e) => set('host', e.target.value)} />
        </label>
        <label className="field">
          <span>Port</span>
          <input
            aria-label="Port"
            {...WHOLE_NUMBER_INPUT}
            size={6}
            aria-invalid={portProblem(form) ? true : undefined}
            title={portProblem(form) ?? undefined}
            value={form.port}
            onChange={(e) => set('port', e.target.value)}
          />
          {portProblem(form) && <small className="field-error">{portProblem(form)}</small>}
        </label>
        <label className="field grow">
          <span>Database</span>
          <input aria-label="Database" value={form.database} onChange={(e) => set('database', e.target.value)} />
        </label>
        <label className="field grow">
          <span>User</span>
          <input aria-label="User" value={form.user} onChange={(e) => set('user', e.target.value)} />
        </label>
      </div>
      <SecretInput label="Password" field={passwordField} saved={secrets} onChange={(next) => set('password', next)} />
      <label className="check">
        <input type="checkbox" checked={form.ssl} onChange={(e) => set('ssl', e.target.checked)} /> TLS (the server certificate is verified)
      </label>
    </>
  );
}

/** A file (or DuckDB database): its path, and a CSV's delimiter. */
export function FileFields({ form, set }: { form: SourceForm; set: SetField }) {
  return (
    <div className="row">
      <label className="field grow">
        <span>{pathLabel(form.kind)}</span>
        <input aria-label="Path" value={form.path} onChange={(e) => set('path', e.target.value)} placeholder={pathPlaceholder(form.kind)} />
      </label>
      {form.kind === 'csv' && (
        <label className="field">
          <span>Delimiter</span>
          <select aria-label="Delimiter" value={form.delimiter} onChange={(e) => set('delimiter', e.target.value)}>
            <option value=",">Comma ,</option>
            <option value=";">Semicolon ;</option>
            <option value={'\t'}>Tab</option>
            <option value="|">Pipe |</option>
          </select>
        </label>
      )}
    </div>
  );
}
