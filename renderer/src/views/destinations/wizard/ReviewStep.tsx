import type { ConnectionTest } from '../../../../../shared/config/connection-test';
import type { IamPolicyAdvice } from '../../../../../shared/destinations/iam-policy';
import { uiKind } from '../../../destinations/kinds/registry';
import type { WizardForm } from '../../../destinations/wizard-state';
import { PolicyView } from '../PolicyView';
import { TestResult } from '../TestResult';
import { nounTitle } from './steps';

export function ReviewStep({
  form,
  finalTest,
  inspector,
  onInspector,
  advice,
  busy,
  editing,
  onBack,
  onSave,
}: {
  form: WizardForm;
  finalTest: ConnectionTest | null;
  inspector: boolean;
  onInspector(on: boolean): void;
  advice: IamPolicyAdvice | null;
  busy: string | null;
  editing: boolean;
  onBack(): void;
  onSave(): void;
}) {
  const kind = uiKind(form.kind);
  return (
    <>
      <dl className="facts" aria-label="Summary">
        <dt>Name</dt>
        <dd>{form.name}</dd>
        <dt>Type</dt>
        <dd>{kind.label}</dd>
        <dt>{nounTitle(form.kind)}</dt>
        <dd>
          <code>{form.target || '(from each row)'}</code>
        </dd>
        {finalTest?.target && (
          <>
            <dt>ARN</dt>
            <dd>
              <code>{finalTest.target.arn ?? '—'}</code>
            </dd>
            <dt>Encryption</dt>
            <dd>{finalTest.target.encrypted ? `KMS (${finalTest.target.kmsKeyId ?? 'key not reported'})` : 'none'}</dd>
          </>
        )}
      </dl>
      {finalTest && !finalTest.ok && <TestResult result={finalTest} title={`The ${kind.noun} “${form.target}” did not pass`} />}
      {kind.wizard.asksInspector && (
        <label className="check">
          <input type="checkbox" checked={inspector} onChange={(e) => onInspector(e.target.checked)} /> I will read this stream with the record inspector
        </label>
      )}
      <PolicyView advice={advice} />
      <div className="row">
        <button type="button" className="ghost" onClick={onBack}>
          Back
        </button>
        <button type="button" data-shortcut="save" disabled={busy !== null} onClick={onSave}>
          {busy ?? (editing ? 'Save changes' : 'Save destination')}
        </button>
      </div>
    </>
  );
}
