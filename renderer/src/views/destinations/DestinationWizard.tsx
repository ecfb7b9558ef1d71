import { useEffect, useMemo, useState } from 'react';
import { zodWords } from '../../../../shared/zod-words';
import type { ConnectionTest } from '../../../../shared/config/connection-test';
import { DestinationDraftSchema, DestinationSchema, type Destination } from '../../../../shared/config/destination';
import type { AwsProfile } from '../../../../shared/destinations/aws-profile';
import { iamPolicyFor } from '../../../../shared/destinations/iam-policy';
import { SluiceError, type FieldIssue } from '../../../../shared/ipc/errors';
import { useSession } from '../../api/context';
import { AskToLeave } from '../../components/DiscardDialog';
import { RevealedError } from '../../components/RevealedError';
import { useLeaveGuard } from '../../components/use-leave-guard';
import { useAction } from '../../components/useAction';
import { uiKind, type EditableDestination } from '../../destinations/kinds/registry';
import type { WizardFieldsProps } from '../../destinations/kinds/types';
import { SecretInput } from './SecretInput';
import { RetargetDialog } from './wizard/RetargetDialog';
import { ReviewStep } from './wizard/ReviewStep';
import { useRetargetSave } from './wizard/use-retarget-save';
import { ConnectionStep, TargetStep, TestStep, TypeStep, WizardHeader, type Step } from './wizard/steps';
import { namedSecrets, useWizardSecrets, withDefaultName } from './wizard/use-wizard-secrets';
import { emptyForm, fromDestination, toDraft, type WizardForm } from './wizard-form';
import { naturalCompare } from '../../../../shared/natural-order';

function zodIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** The IAM policy the review step shows, for the destination as it will be saved. */
function policyAdvice(form: WizardForm, finalTest: ConnectionTest | null, inspector: boolean) {
  const target = finalTest?.target;
  return iamPolicyFor(toDraft(form), {
    inspector,
    encrypted: target?.encrypted ?? false,
    ...(finalTest?.account ? { account: finalTest.account } : {}),
    ...(target?.kmsKeyId ? { kmsKeyId: target.kmsKeyId } : {}),
    ...(target?.arn ? { streamArn: target.arn } : {}),
    ...(form.useExternalId && form.knownExternalId ? { externalIds: [form.knownExternalId] } : {}),
    ...(finalTest?.trustedIdentity ? { trustedIdentity: finalTest.trustedIdentity } : {}),
  });
}

/** The AWS profiles, listed once the form's credentials use the default chain (for the kinds that list them). */
function useAwsProfiles(form: WizardForm, setError: (error: unknown) => void): AwsProfile[] | null {
  const { api } = useSession();
  const [profiles, setProfiles] = useState<AwsProfile[] | null>(null);
  const chain = form.authKind === 'default-chain' || (form.authKind === 'assume-role' && form.baseKind === 'default-chain');
  const needsProfiles = uiKind(form.kind).wizard.listsAwsProfiles(form) && chain;
  useEffect(() => {
    if (needsProfiles && profiles === null) api.listAwsProfiles({}).then(setProfiles, setError);
  }, [api, needsProfiles, profiles, setError]);
  return profiles;
}

type Props = { editing?: EditableDestination; onDone(saved: Destination, startedOver: string[]): void; onCancel(): void };

/** The wizard's state and its actions: test the connection (saving typed secrets), review the stream, save, cancel. */
function useWizard({ editing, onDone, onCancel }: Props) {
  const { api } = useSession();
  const [step, setStep] = useState<Step>(editing ? 'connection' : 'type');
  // What the form opened with (a new destination's: its type's empty form), which leaving without changes leaves.
  const [opened, setOpened] = useState<WizardForm>(() => (editing ? fromDestination(editing) : emptyForm('kinesis')));
  const [form, setForm] = useState<WizardForm>(opened);
  const { busy, error, setError, run } = useAction();
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [finalTest, setFinalTest] = useState<ConnectionTest | null>(null);
  const [inspector, setInspector] = useState(false);
  const { secrets, saveNewSecrets, discardSaved } = useWizardSecrets(api, form, setForm, setError);
  const profiles = useAwsProfiles(form, setError);
  const set = <K extends keyof WizardForm>(key: K, value: WizardForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  const testConnection = () =>
    run('Testing…', async () => {
      // New secrets without a keychain name get the default one (as saving them does): a generated external ID was never typed.
      const parsed = DestinationDraftSchema.safeParse(toDraft(namedSecrets(form), ''), { error: zodWords });
      // The form's own words for a field first (a broker named by its place and text), then the schema's.
      const issues = [...(uiKind(form.kind).wizard.fieldProblems?.(form) ?? []), ...(parsed.success ? [] : zodIssues(parsed.error))];
      if (issues.length > 0) throw new SluiceError('invalid-input', 'Some settings are not valid', issues);
      const saved = await saveNewSecrets();
      setTest(await api.testDestinationDraft({ draft: toDraft(saved, '') }));
      setStep('test');
    });
  const review = () =>
    run('Checking the stream…', async () => {
      if (uiKind(form.kind).wizard.targetRequired && !form.target) throw new SluiceError('invalid-input', `Choose the ${uiKind(form.kind).noun}`);
      setFinalTest(await api.testDestinationDraft({ draft: toDraft(form) }));
      setStep('review');
    });
  const saving = useRetargetSave(api, editing !== undefined, run, onDone);
  const save = () => {
    const parsed = DestinationSchema.safeParse(toDraft(form), { error: zodWords });
    if (parsed.success) return saving.save(parsed.data);
    setError(new SluiceError('invalid-input', 'Some settings are not valid', zodIssues(parsed.error)));
  };
  const cancel = async () => {
    await discardSaved();
    onCancel();
  };
  const changed = JSON.stringify(form) !== JSON.stringify(opened);
  // Leaving with changes asks first; discarding them removes the secrets the wizard put in the keychain, as Cancel does.
  const leaving = useLeaveGuard(changed, discardSaved);
  /** A type chosen: its empty form (name kept; no change unless typed); the type it has keeps what was typed. */
  const choose = (kind: WizardForm['kind']) => {
    setError(null);
    setStep('connection');
    if (kind === form.kind) return;
    const next = { ...emptyForm(kind), name: form.name };
    if (!changed) setOpened(next);
    setForm(next);
  };
  const advice = useMemo(() => (step === 'review' ? policyAdvice(form, finalTest, inspector) : null), [step, form, finalTest, inspector]);
  // A stream or topic chosen (or created): "Choose the stream" said before is answered.
  const chooseTarget = (name: string) => {
    setError(null);
    set('target', name);
  };
  const created = (name: string) => {
    setTest((t) => (t && !t.listed.includes(name) ? { ...t, listed: [...t.listed, name].sort(naturalCompare) } : t));
    chooseTarget(name);
  };
  const wizard = { step, setStep, form, setForm, set, busy, error, setError, test, finalTest, inspector, setInspector, secrets, profiles, advice };
  return {
    ...wizard,
    testConnection,
    review,
    save,
    cancel,
    choose,
    leaving,
    created,
    chooseTarget,
    pendingSave: saving.pending,
    confirmSave: saving.confirm,
    cancelSave: saving.cancel,
  };
}

/** The destination wizard: type → connection and auth → test → stream or topic → review (an edit starts at the connection). */
export function DestinationWizard(props: Props) {
  const { editing } = props;
  const { step, setStep, form, setForm, set, busy, error, setError, test, finalTest, inspector, setInspector, secrets, profiles, advice, ...act } =
    useWizard(props);

  const fields: WizardFieldsProps = {
    form,
    set,
    setForm,
    profiles,
    secrets,
    secretInput: (key, label, options = {}) => (
      <SecretInput
        label={label}
        reveal={options.reveal}
        field={withDefaultName(form, key)}
        saved={secrets}
        onChange={options.onChange ?? ((next) => set(key, next))}
      />
    ),
  };

  return (
    <section className="card wizard" aria-label={editing ? `Edit ${editing.name}` : 'New destination'}>
      <WizardHeader editing={editing?.name} step={step} onCancel={() => act.leaving.leave(() => void act.cancel())} />
      {error !== null && <RevealedError error={error} onDismiss={() => setError(null)} />}
      {step === 'type' && <TypeStep kind={form.kind} onChoose={act.choose} />}
      {step === 'connection' && (
        <ConnectionStep
          fields={fields}
          editing={editing !== undefined}
          busy={busy}
          onTest={() => void act.testConnection()}
          onBack={() => (setError(null), setStep('type'))}
        />
      )}
      {step === 'test' && test && (
        <TestStep
          test={test}
          kind={form.kind}
          busy={busy}
          onBack={() => setStep('connection')}
          onTestAgain={() => void act.testConnection()}
          onNext={() => setStep('target')}
        />
      )}
      {step === 'target' && test && (
        <TargetStep
          form={form}
          test={test}
          busy={busy}
          onTarget={act.chooseTarget}
          onCreated={act.created}
          onBack={() => setStep('test')}
          onReview={() => void act.review()}
        />
      )}
      {step === 'review' && (
        <ReviewStep
          form={form}
          finalTest={finalTest}
          inspector={inspector}
          onInspector={setInspector}
          advice={advice}
          busy={busy}
          editing={editing !== undefined}
          onBack={() => setStep('target')}
          onSave={() => void act.save()}
        />
      )}
      {act.pendingSave && (
        <RetargetDialog pending={act.pendingSave} target={form.target} busy={busy !== null} onConfirm={act.confirmSave} onCancel={act.cancelSave} />
      )}
      <AskToLeave guard={act.leaving} title={editing ? `Discard your changes to “${editing.name}”?` : 'Discard this new destination?'} />
    </section>
  );
}
