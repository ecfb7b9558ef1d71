import type { AwsAuth, Destination, DestinationDraft, KafkaAuth } from '../../../../shared/config/destination';
import type { SecretReference } from '../../../../shared/config/names';

/** How the wizard holds a secret: a new value to save in the keychain, a saved keychain entry, or an environment variable. */
export interface SecretField {
  mode: 'new' | 'existing' | 'env';
  /** The keychain name (new or existing) or the environment variable. */
  name: string;
  /** A new value, kept only until it is saved to the keychain. */
  value: string;
}

export type WizardKind = 'kinesis' | 'firehose' | 'kafka';
type AuthKind = AwsAuth['kind'];
type BaseKind = 'access-key' | 'default-chain';

export interface WizardForm {
  kind: WizardKind;
  name: string;
  // AWS
  region: string;
  endpoint: string;
  authKind: AuthKind;
  baseKind: BaseKind;
  accessKeyId: string;
  secretAccessKey: SecretField;
  useSessionToken: boolean;
  sessionToken: SecretField;
  profile: string;
  roleArn: string;
  /** Assume role: require an external ID (Sluice generates one; it is kept in the keychain). */
  useExternalId: boolean;
  externalId: SecretField;
  /** The external ID's value when this wizard knows it (it generated it, or an older configuration typed it in): shown with the policy. */
  knownExternalId: string;
  sessionName: string;
  durationSeconds: string;
  stsEndpoint: string;
  appendNewline: boolean;
  // Kafka
  clientId: string;
  brokers: string;
  mechanism: KafkaAuth['mechanism'];
  username: string;
  password: SecretField;
  tls: boolean;
  caPem: string;
  clientCertPem: string;
  clientKey: SecretField;
  compression: 'none' | 'gzip';
  /** The stream, delivery stream or topic (empty: Kafka takes the topic from each row). */
  target: string;
}

const secret = (name = ''): SecretField => ({ mode: 'new', name, value: '' });

/** A new external ID for a role's trust policy: `sluice-` and 32 random hex digits. */
export function newExternalId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `sluice-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function generatedExternalId(): Pick<WizardForm, 'externalId' | 'knownExternalId'> {
  const value = newExternalId();
  return { externalId: { mode: 'new', name: '', value }, knownExternalId: value };
}

export function emptyForm(kind: WizardKind): WizardForm {
  return {
    kind,
    name: '',
    // Kafka (MSK IAM): empty means the region in the brokers' host names.
    region: kind === 'kafka' ? '' : 'us-east-1',
    endpoint: '',
    authKind: 'access-key',
    baseKind: 'access-key',
    accessKeyId: '',
    secretAccessKey: secret(),
    useSessionToken: false,
    sessionToken: secret(),
    profile: '',
    roleArn: '',
    useExternalId: true,
    ...generatedExternalId(),
    sessionName: 'sluice',
    durationSeconds: '900',
    stsEndpoint: '',
    appendNewline: true,
    clientId: 'sluice',
    brokers: '',
    mechanism: 'none',
    username: '',
    password: secret(),
    tls: false,
    caPem: '',
    clientCertPem: '',
    clientKey: secret(),
    compression: 'none',
    target: '',
  };
}

export type SecretKey = 'secretAccessKey' | 'sessionToken' | 'password' | 'clientKey' | 'externalId';

/** Regenerates the external ID (the user asked for another one, or ticked "require an external ID" again). */
export function withNewExternalId(f: WizardForm): WizardForm {
  return { ...f, ...generatedExternalId() };
}

/** The secret fields the current settings use, by form key. */
export function secretsInUse(f: WizardForm): SecretKey[] {
  if (f.kind === 'kafka') {
    const used: SecretKey[] = [];
    if (f.mechanism === 'plain' || f.mechanism.startsWith('scram')) used.push('password');
    if (f.mechanism === 'aws') used.push(...awsSecretsInUse(f));
    if (f.tls && f.clientCertPem.trim()) used.push('clientKey');
    return used;
  }
  return awsSecretsInUse(f);
}

/** The AWS credentials' secret fields in use (a Kinesis or Firehose destination, or Kafka with MSK IAM). */
function awsSecretsInUse(f: WizardForm): SecretKey[] {
  const keys = f.authKind === 'access-key' || (f.authKind === 'assume-role' && f.baseKind === 'access-key');
  const used: SecretKey[] = keys ? ['secretAccessKey', ...(f.useSessionToken ? (['sessionToken'] as const) : [])] : [];
  if (f.authKind === 'assume-role' && f.useExternalId) used.push('externalId');
  return used;
}

function ref(s: SecretField): SecretReference {
  return s.mode === 'env' ? { env: s.name.trim() } : { keychain: s.name.trim() };
}

const opt = (s: string) => (s.trim() ? s.trim() : undefined);

function awsAuth(f: WizardForm): AwsAuth {
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

function kafkaAuth(f: WizardForm): KafkaAuth {
  switch (f.mechanism) {
    case 'none':
      return { mechanism: 'none' };
    case 'aws':
      return { mechanism: 'aws', ...(opt(f.region) ? { region: f.region.trim() } : {}), credentials: awsAuth(f) };
    default:
      return { mechanism: f.mechanism, username: f.username.trim(), password: ref(f.password) };
  }
}

/** The draft the engine tests, lists and (once the stream is chosen) saves. */
export function toDraft(f: WizardForm, target: string = f.target): DestinationDraft {
  const name = f.name.trim();
  if (f.kind === 'kafka') {
    return {
      kind: 'kafka',
      name,
      clientId: f.clientId.trim() || 'sluice',
      brokers: f.brokers
        .split(',')
        .map((b) => b.trim())
        .filter(Boolean),
      auth: kafkaAuth(f),
      tls: {
        enabled: f.tls,
        ...(f.tls && opt(f.caPem) ? { caPem: f.caPem.trim() } : {}),
        ...(f.tls && opt(f.clientCertPem) ? { clientCertPem: f.clientCertPem.trim(), clientKey: ref(f.clientKey) } : {}),
      },
      ...(opt(target) ? { topic: target.trim() } : {}),
      compression: f.compression,
    };
  }
  const common = { name, region: f.region.trim() || 'us-east-1', ...(opt(f.endpoint) ? { endpoint: f.endpoint.trim() } : {}), auth: awsAuth(f) };
  if (f.kind === 'kinesis') return { kind: 'kinesis', ...common, ...(opt(target) ? { stream: target.trim() } : {}) };
  return { kind: 'firehose', ...common, appendNewline: f.appendNewline, ...(opt(target) ? { deliveryStream: target.trim() } : {}) };
}

function fromRef(r: SecretReference | undefined): SecretField {
  if (!r) return secret();
  return 'env' in r ? { mode: 'env', name: r.env, value: '' } : { mode: 'existing', name: r.keychain, value: '' };
}

/** A saved destination back into the form (Edit). Secrets stay references. */
export function fromDestination(d: Exclude<Destination, { kind: 'sandbox-kinesis' }>): WizardForm {
  const f = emptyForm(d.kind);
  f.name = d.name;
  if (d.kind === 'kafka') {
    f.clientId = d.clientId;
    f.brokers = d.brokers.join(',');
    f.mechanism = d.auth.mechanism;
    if (d.auth.mechanism === 'plain' || d.auth.mechanism === 'scram-sha-256' || d.auth.mechanism === 'scram-sha-512') {
      f.username = d.auth.username;
      f.password = fromRef(d.auth.password);
    } else if (d.auth.mechanism === 'aws') {
      f.region = d.auth.region ?? '';
      awsAuthToForm(f, d.auth.credentials);
    }
    f.tls = d.tls.enabled;
    f.caPem = d.tls.caPem ?? '';
    f.clientCertPem = d.tls.clientCertPem ?? '';
    f.clientKey = fromRef(d.tls.clientKey);
    f.compression = d.compression;
    f.target = d.topic ?? '';
    return f;
  }
  f.region = d.region;
  f.endpoint = d.endpoint ?? '';
  f.target = d.kind === 'kinesis' ? d.stream : d.deliveryStream;
  if (d.kind === 'firehose') f.appendNewline = d.appendNewline;
  awsAuthToForm(f, d.auth);
  return f;
}

/** AWS credentials settings into the form's fields. */
function awsAuthToForm(f: WizardForm, auth: AwsAuth): void {
  const base = (a: Exclude<AwsAuth, { kind: 'assume-role' }>) => {
    if (a.kind === 'access-key') {
      f.accessKeyId = a.accessKeyId;
      f.secretAccessKey = fromRef(a.secretAccessKey);
      f.useSessionToken = a.sessionToken !== undefined;
      f.sessionToken = fromRef(a.sessionToken);
    } else f.profile = a.profile ?? '';
  };
  f.authKind = auth.kind;
  if (auth.kind === 'assume-role') {
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
    base(auth.base);
  } else base(auth);
}
