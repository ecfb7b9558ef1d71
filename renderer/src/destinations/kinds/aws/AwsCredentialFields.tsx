import { withNewExternalId, type WizardForm } from '../../wizard-state';
import type { WizardFieldsProps } from '../types';

function AwsKeyFields({ form, set, secretInput }: WizardFieldsProps) {
  return (
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
}

function ProfilePicker({ form, set, profiles }: WizardFieldsProps) {
  return (
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
}

function ExternalIdFields(props: WizardFieldsProps) {
  const { form, setForm, secretInput } = props;
  return (
    <>
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
          {secretInput('externalId', 'External ID', {
            reveal: true,
            onChange: (next) => setForm((f) => ({ ...f, externalId: next, knownExternalId: next.mode === 'new' ? next.value.trim() : '' })),
          })}
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
  );
}

function AssumeRoleFields(props: WizardFieldsProps) {
  const { form, set } = props;
  return (
    <>
      <label className="field">
        <span>Role ARN</span>
        <input aria-label="Role ARN" value={form.roleArn} onChange={(e) => set('roleArn', e.target.value)} placeholder="arn:aws:iam::123456789012:role/NAME" />
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
      {form.baseKind === 'access-key' ? <AwsKeyFields {...props} /> : <ProfilePicker {...props} />}
      <ExternalIdFields {...props} />
    </>
  );
}

/** Which AWS credentials sign requests (Kinesis, Firehose) or the MSK IAM login (Kafka). */
export function AwsCredentialFields(props: WizardFieldsProps) {
  const { form, set } = props;
  return (
    <>
      <label className="field">
        <span>Credentials</span>
        <select aria-label="Credentials" value={form.authKind} onChange={(e) => set('authKind', e.target.value as WizardForm['authKind'])}>
          <option value="access-key">Access key</option>
          <option value="assume-role">Assume a role</option>
          <option value="default-chain">AWS default chain (environment, profiles incl. SSO, container, instance)</option>
        </select>
      </label>
      {form.authKind === 'access-key' && <AwsKeyFields {...props} />}
      {form.authKind === 'default-chain' && <ProfilePicker {...props} />}
      {form.authKind === 'assume-role' && <AssumeRoleFields {...props} />}
    </>
  );
}
