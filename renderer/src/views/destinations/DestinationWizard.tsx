import { useEffect, useMemo, useRef, useState } from 'react';
import type { ConnectionTest } from '../../../../shared/config/connection-test';
import { DestinationDraftSchema, DestinationSchema, type Destination } from '../../../../shared/config/destination';
import type { AwsProfile } from '../../../../shared/destinations/aws-profile';
import { iamPolicyFor } from '../../../../shared/destinations/iam-policy';
import type { SecretRef } from '../../../../shared/ipc/contract';
import { SluiceError, type FieldIssue } from '../../../../shared/ipc/errors';
import { useSession } from '../../api/context';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useAction } from '../../components/useAction';
import { CreateTarget } from './CreateTarget';
import { PolicyView } from './PolicyView';
import { SecretInput } from './SecretInput';
import { TestResult } from './TestResult';
import { emptyForm, fromDestination, secretsInUse, toDraft, withNewExternalId, type SecretField, type WizardForm, type WizardKind } from './wizard-form';

type Step = 'type' | 'connection' | 'test' | 'target' | 'review';
const STEPS: { id: Step; label: string }[] = [
  { id: 'type', label: 'Type' },
  { id: 'connection', label: 'Connection and auth' },
  { id: 'test', label: 'Test' },
  { id: 'target', label: 'Stream or topic' },
  { id: 'review', label: 'Review' },
];

const KINDS: { kind: WizardKind; label: string; about: string }[] = [
  { kind: 'kinesis', label: 'Amazon Kinesis Data Streams', about: 'PutRecords to a data stream' },
  { kind: 'firehose', label: 'Amazon Data Firehose', about: 'PutRecordBatch to a delivery stream (S3, Redshift, …)' },
  { kind: 'kafka', label: 'Apache Kafka', about: 'Self-hosted, Amazon MSK or Confluent Cloud' },
];

const SECRET_SUFFIX = {
  secretAccessKey: 'secret-access-key',
  sessionToken: 'session-token',
  password: 'password',
  clientKey: 'client-key',
  externalId: 'external-id',
} as const;

const TARGET_WORD: Record<WizardKind, string> = { kinesis: 'stream', firehose: 'delivery stream', kafka: 'topic' };

function zodIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): FieldIssue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

export function DestinationWizard({
  editing,
  onDone,
  onCancel,
}: {
  editing?: Exclude<Destination, { kind: 'sandbox-kinesis' }>;
  onDone(name: string): void;
  onCancel(): void;
}) {
  const { api } = useSession();
  const [step, setStep] = useState<Step>(editing ? 'connection' : 'type');
  const [form, setForm] = useState<WizardForm>(() => (editing ? fromDestination(editing) : emptyForm('kinesis')));
  const [secrets, setSecrets] = useState<SecretRef[]>([]);
  const [profiles, setProfiles] = useState<AwsProfile[] | null>(null);
  const { busy, error, setError, run } = useAction();
  const [test, setTest] = useState<ConnectionTest | null>(null);
  const [finalTest, setFinalTest] = useState<ConnectionTest | null>(null);
  const [inspector, setInspector] = useState(false);
  // Keychain secrets this wizard saved (on Test): deleted again if the wizard is cancelled.
  const created = useRef<string[]>([]);

  useEffect(() => {
    api.listSecrets({}).then(setSecrets, setError);
    return api.on('secretsChanged', setSecrets);
  }, [api, setError]);
  const needsProfiles = form.kind !== 'kafka' && (form.authKind === 'default-chain' || (form.authKind === 'assume-role' && form.baseKind === 'default-chain'));
  useEffect(() => {
    if (needsProfiles && profiles === null) api.listAwsProfiles({}).then(setProfiles, setError);
  }, [api, needsProfiles, profiles, setError]);

  const set = <K extends keyof WizardForm>(key: K, value: WizardForm[K]) => setForm((f) => ({ ...f, [key]: value }));
  const secretName = (suffix: string) => `${form.name.trim() || 'destination'}/${suffix}`;

  /** Saves every newly typed secret to the keychain; the form keeps only its name. */
  const saveNewSecrets = async (): Promise<WizardForm> => {
    let next = form;
    for (const key of secretsInUse(form)) {
      const field = form[key].mode === 'new' && !form[key].name ? { ...form[key], name: secretName(SECRET_SUFFIX[key]) } : form[key];
      if (field.mode !== 'new') continue;
      if (!field.name.trim())
        throw new SluiceError('invalid-input', 'Give each new secret a keychain name', [{ path: key, message: 'The keychain name is empty' }]);
      if (!field.value) {
        if (secrets.some((s) => s.name === field.name.trim())) {
          next = { ...next, [key]: { mode: 'existing', name: field.name.trim(), value: '' } };
          continue;
        }
        throw new SluiceError('invalid-input', `Type the value of the secret "${field.name.trim()}", or choose a saved secret`, [
          { path: key, message: 'The value is empty' },
        ]);
      }
      // Never overwrite a saved secret: another destination may use it.
      if (secrets.some((s) => s.name === field.name.trim()) && !created.current.includes(field.name.trim())) {
        throw new SluiceError(
          'conflict',
          `A secret named "${field.name.trim()}" is already saved in the keychain (another destination may use it): choose "A secret saved in the keychain" to use it, or give the new one another name`,
          [{ path: key, message: 'This keychain name is taken' }],
        );
      }
      const saved = await api.saveSecret({ name: field.name.trim(), value: field.value });
      if (!created.current.includes(saved.name)) created.current.push(saved.name);
      next = { ...next, [key]: { mode: 'existing', name: saved.name, value: '' } satisfies SecretField };
    }
    setForm(next);
    return next;
  };

  const testConnection = () =>
    run('Testing…', async () => {
      // New secrets without a keychain name get the default one (as saving them does): a generated external ID was never typed.
      const named = secretsInUse(form).reduce<WizardForm>(
        (f, key) => (f[key].mode === 'new' && !f[key].name ? { ...f, [key]: { ...f[key], name: secretName(SECRET_SUFFIX[key]) } } : f),
        form,
      );
      const parsed = DestinationDraftSchema.safeParse(toDraft(named, ''));
      if (!parsed.success) throw new SluiceError('invalid-input', 'Some settings are not valid', zodIssues(parsed.error));
      const saved = await saveNewSecrets();
      setTest(await api.testDestinationDraft({ draft: toDraft(saved, '') }));
      setStep('test');
    });

  const review = () =>
    run('Checking the stream…', async () => {
      if (form.kind !== 'kafka' && !form.target) throw new SluiceError('invalid-input', `Choose the ${TARGET_WORD[form.kind]}`);
      setFinalTest(await api.testDestinationDraft({ draft: toDraft(form) }));
      setStep('review');
    });

  const save = () =>
    run('Saving…', async () => {
      const parsed = DestinationSchema.safeParse(toDraft(form));
      if (!parsed.success) throw new SluiceError('invalid-input', 'Some settings are not valid', zodIssues(parsed.error));
      const saved = await api.saveDestination({ destination: parsed.data, mode: editing ? 'update' : 'create' });
      onDone(saved.name);
    });

  /** Cancelling removes the secrets the wizard saved to the keychain for a destination that was never saved. */
  const cancel = async () => {
    for (const name of created.current.splice(0)) await api.deleteSecret({ name }).catch(() => undefined);
    onCancel();
  };

  const advice = useMemo(() => {
    if (step !== 'review') return null;
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
  }, [step, form, finalTest, inspector]);

  const secretInput = (key: keyof typeof SECRET_SUFFIX, label: string) => (
    <SecretInput
      label={label}
      field={form[key].mode === 'new' && !form[key].name ? { ...form[key], name: secretName(SECRET_SUFFIX[key]) } : form[key]}
      saved={secrets}
      onChange={(next) => set(key, next)}
    />
  );

  const awsKeyFields = (
    <>
      <label className="field">
        <span>Access key ID</span>
        <input aria-label="Access key ID" value={form.accessKeyId} onChange={(e) => set('accessKeyId', e.target.value)} />
      </label>
      {secretInput('secretAccessKey', 'Secret access key')}
      <label className="check">
        <input type="checkbox" checked={form.useSessionToken} onChange={(e) => set('useSessionToken', e.target.checked)} /> Session token (temporary
        credentials)
      </label>
      {form.useSessionToken && secretInput('sessionToken', 'Session token')}
    </>
  );

  const profilePicker = (
    <label className="field">
      <span>Profile (shared config and credentials files)</span>
      <select aria-label="AWS profile" value={form.profile} onChange={(e) => set('profile', e.target.value)}>
        <option value="">No profile: environment, the default profile, container or instance credentials</option>
        {(profiles ?? []).map((p) => (
          <option key={p.name} value={p.name}>
            {p.name} ({p.kind === 'sso' ? 'SSO' : p.kind}
            {p.region ? `, ${p.region}` : ''})
          </option>
        ))}
      </select>
    </label>
  );

  /** Which AWS credentials sign requests (Kinesis, Firehose) or the MSK IAM login (Kafka). */
  const awsCredentialFields = (
    <>
      <label className="field">
        <span>Credentials</span>
        <select aria-label="Credentials" value={form.authKind} onChange={(e) => set('authKind', e.target.value as WizardForm['authKind'])}>
          <option value="access-key">Access key</option>
          <option value="assume-role">Assume a role</option>
          <option value="default-chain">AWS default chain (environment, profiles incl. SSO, container, instance)</option>
        </select>
      </label>
      {form.authKind === 'access-key' && awsKeyFields}
      {form.authKind === 'default-chain' && profilePicker}
      {form.authKind === 'assume-role' && (
        <>
          <label className="field">
            <span>Role ARN</span>
            <input
              aria-label="Role ARN"
              value={form.roleArn}
              onChange={(e) => set('roleArn', e.target.value)}
              placeholder="arn:aws:iam::123456789012:role/NAME"
            />
          </label>
          <div className="row">
            <label className="field">
              <span>Session name</span>
              <input aria-label="Session name" value={form.sessionName} onChange={(e) => set('sessionName', e.target.value)} />
            </label>
            <label className="field">
              <span>Duration (seconds)</span>
              <input
                aria-label="Duration"
                type="number"
                min={900}
                max={43200}
                value={form.durationSeconds}
                onChange={(e) => set('durationSeconds', e.target.value)}
              />
            </label>
            <label className="field">
              <span>STS endpoint (optional)</span>
              <input aria-label="STS endpoint" value={form.stsEndpoint} onChange={(e) => set('stsEndpoint', e.target.value)} />
            </label>
          </div>
          <label className="field">
            <span>Base credentials (that assume the role)</span>
            <select aria-label="Base credentials" value={form.baseKind} onChange={(e) => set('baseKind', e.target.value as WizardForm['baseKind'])}>
              <option value="access-key">Access key</option>
              <option value="default-chain">AWS default chain</option>
            </select>
          </label>
          {form.baseKind === 'access-key' ? awsKeyFields : profilePicker}
          <label className="check">
            <input
              type="checkbox"
              aria-label="Require an external ID"
              checked={form.useExternalId}
              onChange={(e) =>
                setForm((f) =>
                  e.target.checked && f.externalId.mode === 'new' && !f.externalId.value
                    ? { ...withNewExternalId(f), useExternalId: true }
                    : { ...f, useExternalId: e.target.checked },
                )
              }
            />{' '}
            Require an external ID (recommended: the role can only be assumed with it)
          </label>
          {form.useExternalId && (
            <>
              <SecretInput
                label="External ID"
                reveal
                field={
                  form.externalId.mode === 'new' && !form.externalId.name ? { ...form.externalId, name: secretName(SECRET_SUFFIX.externalId) } : form.externalId
                }
                saved={secrets}
                onChange={(next) => setForm((f) => ({ ...f, externalId: next, knownExternalId: next.mode === 'new' ? next.value.trim() : '' }))}
              />
              <div className="row">
                <span className="muted" data-testid="external-id-note">
                  {form.externalId.mode === 'new'
                    ? 'Sluice generated this external ID; it is kept in the keychain, never in the workspace. Give it to the role’s owner: the trust policy on the last step requires it.'
                    : 'The external ID is read from the keychain or the environment when the role is assumed.'}
                </span>
                <button type="button" className="ghost" onClick={() => setForm((f) => withNewExternalId(f))}>
                  Generate a new external ID
                </button>
              </div>
            </>
          )}
        </>
      )}
    </>
  );

  return (
    <section className="card wizard" aria-label={editing ? `Edit ${editing.name}` : 'New destination'}>
      <div className="row spread">
        <h2>{editing ? `Edit “${editing.name}”` : 'New destination'}</h2>
        <button type="button" className="ghost" onClick={() => void cancel()}>
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
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}

      {step === 'type' && (
        <div className="list" role="radiogroup" aria-label="Destination type">
          {KINDS.map((k) => (
            <button
              key={k.kind}
              type="button"
              role="radio"
              aria-checked={form.kind === k.kind}
              className={`list-item${form.kind === k.kind ? ' active' : ''}`}
              onClick={() => {
                setForm((f) => ({ ...emptyForm(k.kind), name: f.name }));
                setStep('connection');
              }}
            >
              <strong>{k.label}</strong>
              <span className="muted small">{k.about}</span>
            </button>
          ))}
        </div>
      )}

      {step === 'connection' && (
        <form
          className="wizard-form"
          onSubmit={(e) => {
            e.preventDefault();
            void testConnection();
          }}
        >
          <label className="field">
            <span>Name</span>
            <input aria-label="Name" value={form.name} disabled={editing !== undefined} onChange={(e) => set('name', e.target.value)} />
          </label>
          {form.kind === 'kafka' ? (
            <>
              <div className="row">
                <label className="field">
                  <span>Brokers (host:port, comma-separated)</span>
                  <input
                    aria-label="Brokers"
                    value={form.brokers}
                    onChange={(e) => set('brokers', e.target.value)}
                    placeholder="b-1.example:9096,b-2.example:9096"
                  />
                </label>
                <label className="field">
                  <span>Client ID</span>
                  <input aria-label="Client ID" value={form.clientId} onChange={(e) => set('clientId', e.target.value)} />
                </label>
              </div>
              <label className="field">
                <span>Authentication</span>
                <select aria-label="Authentication" value={form.mechanism} onChange={(e) => set('mechanism', e.target.value as WizardForm['mechanism'])}>
                  <option value="none">None</option>
                  <option value="plain">SASL PLAIN</option>
                  <option value="scram-sha-256">SASL SCRAM-SHA-256</option>
                  <option value="scram-sha-512">SASL SCRAM-SHA-512</option>
                  <option value="aws">AWS IAM (Amazon MSK, SASL/OAUTHBEARER)</option>
                </select>
              </label>
              {(form.mechanism === 'plain' || form.mechanism.startsWith('scram')) && (
                <>
                  <label className="field">
                    <span>Username</span>
                    <input aria-label="Username" value={form.username} onChange={(e) => set('username', e.target.value)} />
                  </label>
                  {secretInput('password', 'Password')}
                </>
              )}
              {form.mechanism === 'aws' && (
                <>
                  <label className="field">
                    <span>Region of the MSK cluster (empty: from the brokers&apos; host names)</span>
                    <input aria-label="Region" value={form.region} onChange={(e) => set('region', e.target.value)} placeholder="us-east-1" />
                  </label>
                  {awsCredentialFields}
                </>
              )}
              <label className="check">
                <input type="checkbox" checked={form.tls} onChange={(e) => set('tls', e.target.checked)} /> TLS
              </label>
              {form.tls && (
                <>
                  <PemField label="CA certificate (PEM, if a public CA did not sign the brokers)" value={form.caPem} onChange={(v) => set('caPem', v)} />
                  <PemField label="Client certificate (PEM, for mutual TLS)" value={form.clientCertPem} onChange={(v) => set('clientCertPem', v)} />
                  {form.clientCertPem.trim() && secretInput('clientKey', 'Client key')}
                </>
              )}
              <label className="field">
                <span>Compression</span>
                <select aria-label="Compression" value={form.compression} onChange={(e) => set('compression', e.target.value as WizardForm['compression'])}>
                  <option value="none">None</option>
                  <option value="gzip">gzip</option>
                </select>
              </label>
            </>
          ) : (
            <>
              <div className="row">
                <label className="field">
                  <span>Region</span>
                  <input aria-label="Region" value={form.region} onChange={(e) => set('region', e.target.value)} />
                </label>
                <label className="field">
                  <span>Custom endpoint (a local emulator or VPC endpoint; optional)</span>
                  <input
                    aria-label="Endpoint"
                    value={form.endpoint}
                    onChange={(e) => set('endpoint', e.target.value)}
                    placeholder={`https://${form.kind}.${form.region || 'us-east-1'}.amazonaws.com`}
                  />
                </label>
              </div>
              {awsCredentialFields}
              {form.kind === 'firehose' && (
                <label className="check">
                  <input type="checkbox" checked={form.appendNewline} onChange={(e) => set('appendNewline', e.target.checked)} /> Append a newline to each
                  record
                </label>
              )}
            </>
          )}
          <div className="row">
            {!editing && (
              <button type="button" className="ghost" onClick={() => setStep('type')}>
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
      )}

      {step === 'test' && test && (
        <>
          <TestResult result={test} />
          <div className="row">
            <button type="button" className="ghost" onClick={() => setStep('connection')}>
              Back
            </button>
            <button type="button" className="ghost" data-shortcut="run" disabled={busy !== null} onClick={() => void testConnection()}>
              {busy ?? 'Test again'}
            </button>
            <button type="button" disabled={!test.ok} onClick={() => setStep('target')}>
              Choose the {TARGET_WORD[form.kind]}
            </button>
          </div>
        </>
      )}

      {step === 'target' && test && (
        <>
          <label className="field">
            <span>
              {TARGET_WORD[form.kind][0]!.toUpperCase() + TARGET_WORD[form.kind].slice(1)} ({test.listed.length} listed by the destination)
            </span>
            <select
              aria-label={TARGET_WORD[form.kind][0]!.toUpperCase() + TARGET_WORD[form.kind].slice(1)}
              value={form.target}
              onChange={(e) => set('target', e.target.value)}
            >
              <option value="">{form.kind === 'kafka' ? 'No default topic: each row names its topic' : 'Choose…'}</option>
              {[...new Set([...test.listed, ...(form.target ? [form.target] : [])])].map((n) => (
                <option key={n} value={n}>
                  {n}
                  {test.listed.includes(n) ? '' : ' (not listed)'}
                </option>
              ))}
            </select>
          </label>
          <CreateTarget
            kind={form.kind}
            draft={toDraft(form, '')}
            onCreated={(name) => {
              setTest((t) => (t && !t.listed.includes(name) ? { ...t, listed: [...t.listed, name].sort() } : t));
              set('target', name);
            }}
          />
          <div className="row">
            <button type="button" className="ghost" onClick={() => setStep('test')}>
              Back
            </button>
            <button type="button" disabled={busy !== null} onClick={() => void review()}>
              {busy ?? 'Review'}
            </button>
          </div>
        </>
      )}

      {step === 'review' && (
        <>
          <dl className="facts" aria-label="Summary">
            <dt>Name</dt>
            <dd>{form.name}</dd>
            <dt>Type</dt>
            <dd>{KINDS.find((k) => k.kind === form.kind)!.label}</dd>
            <dt>{TARGET_WORD[form.kind][0]!.toUpperCase() + TARGET_WORD[form.kind].slice(1)}</dt>
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
          {finalTest && !finalTest.ok && <TestResult result={finalTest} title={`The ${TARGET_WORD[form.kind]} “${form.target}” did not pass`} />}
          {form.kind === 'kinesis' && (
            <label className="check">
              <input type="checkbox" checked={inspector} onChange={(e) => setInspector(e.target.checked)} /> I will read this stream with the record inspector
            </label>
          )}
          <PolicyView advice={advice} />
          <div className="row">
            <button type="button" className="ghost" onClick={() => setStep('target')}>
              Back
            </button>
            <button type="button" data-shortcut="save" disabled={busy !== null} onClick={() => void save()}>
              {busy ?? (editing ? 'Save changes' : 'Save destination')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** A PEM certificate: pasted, or read from a file. */
function PemField({ label, value, onChange }: { label: string; value: string; onChange(value: string): void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <textarea aria-label={label} rows={4} value={value} onChange={(e) => onChange(e.target.value)} placeholder="-----BEGIN CERTIFICATE-----" />
      <input
        type="file"
        aria-label={`${label}: file`}
        accept=".pem,.crt,.cer"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) void file.text().then(onChange);
        }}
      />
    </label>
  );
}
