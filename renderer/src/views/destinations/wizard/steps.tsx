import type { ConnectionTest } from '../../../../../shared/config/connection-test';
import { uiKind, WIZARD_KINDS } from '../../../destinations/kinds/registry';
import type { WizardFieldsProps, WizardKind } from '../../../destinations/kinds/types';
import type { WizardForm } from '../../../destinations/wizard-state';
import { CreateTarget } from '../CreateTarget';
import { TestResult } from '../TestResult';
import { secretsInUse, toDraft } from '../wizard-form';

export type Step = 'type' | 'connection' | 'test' | 'target' | 'review';
export const STEPS: { id: Step; label: string }[] = [
  { id: 'type', label: 'Type' },
  { id: 'connection', label: 'Connection and auth' },
  { id: 'test', label: 'Test' },
  { id: 'target', label: 'Stream or topic' },
  { id: 'review', label: 'Review' },
];

/** The kind's noun with a capital: "Stream", "Delivery stream", "Topic". */
export const nounTitle = (kind: WizardKind) => {
  const noun = uiKind(kind).noun;
  return noun[0]!.toUpperCase() + noun.slice(1);
};

/** The title, Cancel, and the steps with the current one marked. */
export function WizardHeader({ editing, step, onCancel }: { editing: string | undefined; step: Step; onCancel(): void }) {
  return (
    <>
      <div className="row spread">
        <h2 className="wrap-anywhere grow-text">{editing !== undefined ? `Edit “${editing}”` : 'New destination'}</h2>
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
      <ol className="wizard-steps" aria-label="Wizard steps">
        {STEPS.map((s) => (
          <li key={s.id} aria-current={s.id === step ? 'step' : undefined} className={s.id === step ? 'active' : undefined}>
            {s.label}
          </li>
        ))}
      </ol>
    </>
  );
}

export function TypeStep({ kind, onChoose }: { kind: WizardKind; onChoose(kind: WizardKind): void }) {
  return (
    <div className="list" role="radiogroup" aria-label="Destination type">
      {WIZARD_KINDS.map((k) => (
        <button key={k} type="button" role="radio" aria-checked={kind === k} className={`list-item${kind === k ? ' active' : ''}`} onClick={() => onChoose(k)}>
          <strong>{uiKind(k).label}</strong>
          <span className="muted small">{uiKind(k).wizard.about}</span>
        </button>
      ))}
    </div>
  );
}

export function ConnectionStep({
  fields,
  editing,
  busy,
  onTest,
  onBack,
}: {
  fields: WizardFieldsProps;
  editing: boolean;
  busy: string | null;
  onTest(): void;
  onBack(): void;
}) {
  const { form, set } = fields;
  const { ConnectionFields } = uiKind(form.kind).wizard;
  return (
    <form
      className="wizard-form"
      onSubmit={(e) => {
        e.preventDefault();
        onTest();
      }}
    >
      <label className="field">
        <span>Name</span>
        <input aria-label="Name" value={form.name} disabled={editing} onChange={(e) => set('name', e.target.value)} />
      </label>
      <ConnectionFields {...fields} />
      <div className="row">
        {!editing && (
          <button type="button" className="ghost" onClick={onBack}>
            Back
          </button>
        )}
        <button type="submit" data-shortcut="run" disabled={busy !== null}>
          {busy ?? 'Test the connection'}
        </button>
        {secretsInUse(form).some((k) => form[k].mode === 'new' && form[k].value) && (
          <span className="muted" data-testid="secret-save-note">
            Testing saves the typed secrets to the keychain (Cancel removes them again).
          </span>
        )}
      </div>
    </form>
  );
}

export function TestStep({
  test,
  kind,
  busy,
  onBack,
  onTestAgain,
  onNext,
}: {
  test: ConnectionTest;
  kind: WizardKind;
  busy: string | null;
  onBack(): void;
  onTestAgain(): void;
  onNext(): void;
}) {
  return (
    <>
      <TestResult result={test} />
      <div className="row">
        <button type="button" className="ghost" onClick={onBack}>
          Back
        </button>
        <button type="button" className="ghost" data-shortcut="run" disabled={busy !== null} onClick={onTestAgain}>
          {busy ?? 'Test again'}
        </button>
        <button type="button" disabled={!test.ok} onClick={onNext}>
          Choose the {uiKind(kind).noun}
        </button>
      </div>
    </>
  );
}

export function TargetStep({
  form,
  test,
  busy,
  onTarget,
  onCreated,
  onBack,
  onReview,
}: {
  form: WizardForm;
  test: ConnectionTest;
  busy: string | null;
  onTarget(target: string): void;
  onCreated(name: string): void;
  onBack(): void;
  onReview(): void;
}) {
  return (
    <>
      <label className="field">
        <span>
          {nounTitle(form.kind)} ({test.listed.length} listed by the destination)
        </span>
        <select aria-label={nounTitle(form.kind)} value={form.target} onChange={(e) => onTarget(e.target.value)}>
          <option value="">{uiKind(form.kind).wizard.noTarget}</option>
          {[...new Set([...test.listed, ...(form.target ? [form.target] : [])])].map((n) => (
            <option key={n} value={n}>
              {n}
              {test.listed.includes(n) ? '' : ' (not listed)'}
            </option>
          ))}
        </select>
      </label>
      <CreateTarget kind={form.kind} draft={toDraft(form, '')} onCreated={onCreated} />
      <div className="row">
        <button type="button" className="ghost" onClick={onBack}>
          Back
        </button>
        <button type="button" disabled={busy !== null} onClick={onReview}>
          {busy ?? 'Review'}
        </button>
      </div>
    </>
  );
}
