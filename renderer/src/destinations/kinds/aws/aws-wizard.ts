import type { AwsAuth } from '../../../../../shared/config/destination';
import { fromRef, opt, ref, type SecretKey, type WizardForm } from '../../wizard-state';

/** The AWS credentials' secret fields in use (a Kinesis or Firehose destination, or Kafka with MSK IAM). */
export function awsSecretsInUse(f: WizardForm): SecretKey[] {
  const keys = f.authKind === 'access-key' || (f.authKind === 'assume-role' && f.baseKind === 'access-key');
  const used: SecretKey[] = keys ? ['secretAccessKey', ...(f.useSessionToken ? (['sessionToken'] as const) : [])] : [];
  if (f.authKind === 'assume-role' && f.useExternalId) used.push('externalId');
  return used;
}

/** The form's AWS credentials settings. */
export function awsAuth(f: WizardForm): AwsAuth {
  const accessKey = {
    kind: 'access-key' as const,
    accessKeyId: f.accessKeyId.trim(),
    secretAccessKey: ref(f.secretAccessKey),
    ...(f.useSessionToken ? { sessionToken: ref(f.sessionToken) } : {}),
  };
  const chain = { kind: 'default-chain' as const, ...(opt(f.profile) ? { profile: f.profile.trim() } : {}) };
  if (f.authKind === 'access-key') return accessKey;
  if (f.authKind === 'default-chain') return chain;
  return {
    kind: 'assume-role',
    roleArn: f.roleArn.trim(),
    ...(f.useExternalId ? { externalId: ref(f.externalId) } : {}),
    sessionName: f.sessionName.trim() || 'sluice',
    durationSeconds: Number(f.durationSeconds) || 900,
    ...(opt(f.stsEndpoint) ? { stsEndpoint: f.stsEndpoint.trim() } : {}),
    base: f.baseKind === 'access-key' ? accessKey : chain,
  };
}

/** What a Kinesis and a Firehose draft share: name, region, endpoint and credentials. */
export function awsDraftCommon(f: WizardForm, name: string) {
  return { name, region: f.region.trim() || 'us-east-1', ...(opt(f.endpoint) ? { endpoint: f.endpoint.trim() } : {}), auth: awsAuth(f) };
}

/** A saved Kinesis or Firehose destination's region, endpoint and credentials into the form. */
export function awsDestinationToForm(d: { region: string; endpoint?: string | undefined; auth: AwsAuth }, f: WizardForm): void {
  f.region = d.region;
  f.endpoint = d.endpoint ?? '';
  awsAuthToForm(f, d.auth);
}

function baseToForm(f: WizardForm, a: Exclude<AwsAuth, { kind: 'assume-role' }>): void {
  if (a.kind === 'access-key') {
    f.accessKeyId = a.accessKeyId;
    f.secretAccessKey = fromRef(a.secretAccessKey);
    f.useSessionToken = a.sessionToken !== undefined;
    f.sessionToken = fromRef(a.sessionToken);
  } else f.profile = a.profile ?? '';
}

/** AWS credentials settings into the form's fields. */
export function awsAuthToForm(f: WizardForm, auth: AwsAuth): void {
  f.authKind = auth.kind;
  if (auth.kind === 'assume-role') assumeRoleToForm(f, auth);
  else baseToForm(f, auth);
}

function assumeRoleToForm(f: WizardForm, auth: Extract<AwsAuth, { kind: 'assume-role' }>): void {
  f.roleArn = auth.roleArn;
  const ext = auth.externalId;
  f.useExternalId = ext !== undefined;
  // A typed-in external ID (older configurations) moves to the keychain when the connection is tested again.
  if (typeof ext === 'string') {
    f.externalId = { mode: 'new', name: '', value: ext };
    f.knownExternalId = ext;
  } else {
    f.externalId = fromRef(ext);
    f.knownExternalId = '';
  }
  f.sessionName = auth.sessionName;
  f.durationSeconds = String(auth.durationSeconds);
  f.stsEndpoint = auth.stsEndpoint ?? '';
  f.baseKind = auth.base.kind;
  baseToForm(f, auth.base);
}
