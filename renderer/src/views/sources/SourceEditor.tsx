import { useEffect, useRef, useState } from 'react';
import { SourceSchema, type Source } from '../../../../shared/config/source';
import type { SourceTest } from '../../../../shared/config/source-admin';
import type { SecretRef } from '../../../../shared/ipc/contract';
import { issuesFromZod, SluiceError } from '../../../../shared/ipc/errors';
import { useSession } from '../../api/context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAction } from '../../components/useAction';
import { SecretInput } from '../destinations/SecretInput';
import { emptySourceForm, fromSource, SOURCE_KINDS, toSource, type SourceForm } from './source-form';
import { SourceTestResult } from './SourceTestResult';

/**
 * Add or edit a source: its type, where it is, a test that reads it and lists its tables, and Save.
 * A typed PostgreSQL password goes to the OS keychain (the source keeps only its name) when tested or saved.
 */
export function SourceEditor({ editing, onDone, onCancel }: { editing?: Source; onDone(name: string): void; onCancel(): void }) {
  const { api } = useSession();
  const [form, setForm] = useState<SourceForm>(() => (editing ? fromSource(editing) : emptySourceForm()));
  const [secrets, setSecrets] = useState<SecretRef[]>([]);
  const { busy, error, setError, run } = useAction();
  const [test, setTest] = useState<SourceTest | null>(null);
  const created = useRef<string[]>([]);

  useEffect(() => {
    api.listSecrets({}).then(setSecrets, setError);
    return api.on('secretsChanged', setSecrets);
  }, [api, setError]);

  const set = <K extends keyof SourceForm>(key: K, value: SourceForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const defaultSecretName = `${form.name.trim() || 'source'}/password`;
  const passwordField = form.password.mode === 'new' && !form.password.name ? { ...form.password, name: defaultSecretName } : form.password;

  /** The source as typed, checked by the contract's schema (field errors say which field). */
  const parsed = (f: SourceForm): Source => {
    const result = SourceSchema.safeParse(toSource(f));
    if (!result.success) throw new SluiceError('invalid-input', 'Some settings are not valid', issuesFromZod(result.error));
    return result.data;
  };

  /** A typed password goes to the keychain first; the form then refers to it by name. */
  const savePassword = async (): Promise<SourceForm> => {
    if (form.kind !== 'postgres' || form.password.mode !== 'new') return form;
    const field = passwordField;
    const name = field.name.trim();
    if (!field.value) {
      if (secrets.some((s) => s.name === name)) {
        const next = { ...form, password: { mode: 'existing' as const, name, value: '' } };
        setForm(next);
        return next;
      }
      // No password at all: a server that trusts the user (or a .pgpass) needs none.
      return { ...form, password: { mode: 'new', name: '', value: '' } };
    }
    if (secrets.some((s) => s.name === name) && !created.current.includes(name)) {
      throw new SluiceError(
        'conflict',
        `A secret named "${name}" is already saved in the keychain: choose "A secret saved in the keychain" to use it, or give the new one another name`,
        [{ path: 'password', message: 'This keychain name is taken' }],
      );
    }
    const saved = await api.saveSecret({ name, value: field.value });
    if (!created.current.includes(saved.name)) created.current.push(saved.name);
    const next = { ...form, password: { mode: 'existing' as const, name: saved.name, value: '' } };
    setForm(next);
    return next;
  };

  const testIt = () =>
    run('Testing…', async () => {
      parsed(form);
      const next = await savePassword();
      setTest(await api.testSource({ draft: parsed(next) }));
    });

  const save = () =>
    run('Saving…', async () => {
      parsed(form);
      const next = await savePassword();
      const saved = await api.saveSource({ source: parsed(next), mode: editing ? 'update' : 'create' });
      created.current = [];
      onDone(saved.name);
    });

  const cancel = async () => {
    for (const name of created.current.splice(0)) await api.deleteSecret({ name }).catch(() => undefined);
    onCancel();
  };

  return (
    <section className="card wizard" aria-label={editing ? `Edit ${editing.name}` : 'New source'}>
      <div className="row spread">
        <h2>{editing ? `Edit “${editing.name}”` : 'New source'}</h2>
        <button type="button" className="ghost" onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <form
        className="wizard-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <div className="kind-picker" role="radiogroup" aria-label="Source type">
          {SOURCE_KINDS.map((k) => (
            <button
              key={k.kind}
              type="button"
              role="radio"
              aria-checked={form.kind === k.kind}
              className={`list-item${form.kind === k.kind ? ' active' : ''}`}
              onClick={() => {
                setForm((f) => ({ ...emptySourceForm(k.kind), name: f.name, path: f.path }));
                setTest(null);
              }}
            >
              <strong>{k.label}</strong>
              <span className="muted small">{k.about}</span>
            </button>
          ))}
        </div>
        <label className="field">
          <span>Name</span>
          <input
            aria-label="Name"
            value={form.name}
            disabled={editing !== undefined}
            onChange={(e) => set('name', e.target.value)}
            placeholder="e.g. crm-export"
          />
        </label>
        {form.kind === 'postgres' ? (
          <>
            <div className="row">
              <label className="field grow">
                <span>Host</span>
                <input aria-label="Host" value={form.host} onChange={(e) => set('host', e.target.value)} />
              </label>
              <label className="field">
                <span>Port</span>
                <input aria-label="Port" inputMode="numeric" size={6} value={form.port} onChange={(e) => set('port', e.target.value)} />
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
        ) : (
          <div className="row">
            <label className="field grow">
              <span>
                {form.kind === 'duckdb'
                  ? 'Full path of a .duckdb database (optional: leave empty to read Parquet, CSV or JSON files by path)'
                  : 'Full path of the file'}
              </span>
              <input
                aria-label="Path"
                value={form.path}
                onChange={(e) => set('path', e.target.value)}
                placeholder={
                  form.kind === 'sqlite'
                    ? '/home/you/data/shop.sqlite'
                    : form.kind === 'duckdb'
                      ? '/home/you/data/warehouse.duckdb'
                      : `/home/you/data/export.${form.kind}`
                }
              />
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
        )}
        <div className="row">
          <button type="button" className="ghost" data-shortcut="run" disabled={busy !== null} onClick={() => void testIt()}>
            {busy === 'Testing…' ? busy : 'Test'}
          </button>
          <button type="submit" data-shortcut="save" disabled={busy !== null}>
            {busy === 'Saving…' ? busy : editing ? 'Save changes' : 'Save source'}
          </button>
          {form.kind === 'postgres' && form.password.mode === 'new' && form.password.value && (
            <span className="muted small" data-testid="secret-save-note">
              Testing or saving puts the password in the keychain (Cancel removes it again).
            </span>
          )}
        </div>
      </form>
      {test && <SourceTestResult result={test} />}
    </section>
  );
}
