import { useState } from 'react';
import { zodWords } from '../../../../shared/zod-words';
import { SourceSchema, type Source } from '../../../../shared/config/source';
import type { SourceTest } from '../../../../shared/config/source-admin';
import { issuesFromZod, SluiceError } from '../../../../shared/ipc/errors';
import { useSession } from '../../api/context';
import { AskToLeave } from '../../components/DiscardDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useLeaveGuard } from '../../components/use-leave-guard';
import { useAction } from '../../components/useAction';
import { emptySourceForm, fromSource, portProblem, toSource, type SourceForm } from './source-form';
import { useSourcePassword } from './use-source-password';
import { FileFields, PostgresFields, SourceKindPicker } from './SourceFields';
import { SourceTestResult } from './SourceTestResult';

/** The source as typed, checked by the contract's schema (field errors say which field). */
function parsed(f: SourceForm): Source {
  // The port in words (the schema would say "expected number, received NaN").
  const port = portProblem(f);
  if (port) throw new SluiceError('invalid-input', 'Some settings are not valid', [{ path: '', message: port }]);
  const result = SourceSchema.safeParse(toSource(f), { error: zodWords });
  if (!result.success) throw new SluiceError('invalid-input', 'Some settings are not valid', issuesFromZod(result.error));
  return result.data;
}

/**
 * Add or edit a source: its type, where it is, a test that reads it and lists its tables, and Save.
 * A typed PostgreSQL password goes to the OS keychain (the source keeps only its name) when tested or saved.
 */
export function SourceEditor({ editing, onDone, onCancel }: { editing?: Source; onDone(name: string): void; onCancel(): void }) {
  const { api } = useSession();
  const [opened] = useState<SourceForm>(() => (editing ? fromSource(editing) : emptySourceForm()));
  const [form, setForm] = useState<SourceForm>(opened);
  const { busy, error, setError, run } = useAction();
  const [test, setTest] = useState<SourceTest | null>(null);
  const { secrets, passwordField, savePassword, forgetCreated, removeCreated } = useSourcePassword(form, setForm, setError);

  const set = <K extends keyof SourceForm>(key: K, value: SourceForm[K]) => setForm((f) => ({ ...f, [key]: value }));

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
      forgetCreated();
      onDone(saved.name);
    });

  // Leaving with changes asks first; discarding them removes a password this form put in the keychain, as Cancel does.
  const guard = useLeaveGuard(JSON.stringify(form) !== JSON.stringify(opened), removeCreated);
  const cancel = () =>
    guard.leave(() => {
      void removeCreated().then(onCancel);
    });

  return (
    <section className="card wizard" aria-label={editing ? `Edit ${editing.name}` : 'New source'}>
      <EditorHeader title={editing ? `Edit “${editing.name}”` : 'New source'} onCancel={cancel} />
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      <form
        className="wizard-form"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <SourceKindPicker
          kind={form.kind}
          onPick={(change) => {
            setForm(change);
            setTest(null);
          }}
        />
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
          <PostgresFields form={form} set={set} passwordField={passwordField} secrets={secrets} />
        ) : (
          <FileFields form={form} set={set} />
        )}
        <EditorButtons
          busy={busy}
          editing={editing !== undefined}
          typedPassword={form.kind === 'postgres' && form.password.mode === 'new' && form.password.value !== ''}
          onTest={() => void testIt()}
        />
      </form>
      {test && <SourceTestResult result={test} />}
      <AskToLeave guard={guard} title={editing ? `Discard your changes to “${editing.name}”?` : 'Discard this new source?'} />
    </section>
  );
}

function EditorHeader({ title, onCancel }: { title: string; onCancel: () => void }) {
  return (
    <div className="row spread">
      <h2 className="wrap-anywhere grow-text">{title}</h2>
      <button type="button" className="ghost" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}

/** Test and Save (what they are doing while busy), and a note when a typed password will go to the keychain. */
function EditorButtons({ busy, editing, typedPassword, onTest }: { busy: string | null; editing: boolean; typedPassword: boolean; onTest: () => void }) {
  return (
    <div className="row">
      <button type="button" className="ghost" data-shortcut="run" disabled={busy !== null} onClick={onTest}>
        {busy === 'Testing…' ? busy : 'Test'}
      </button>
      <button type="submit" data-shortcut="save" disabled={busy !== null}>
        {busy === 'Saving…' ? busy : editing ? 'Save changes' : 'Save source'}
      </button>
      {typedPassword && (
        <span className="muted small" data-testid="secret-save-note">
          Testing or saving puts the password in the keychain (Cancel removes it again).
        </span>
      )}
    </div>
  );
}
