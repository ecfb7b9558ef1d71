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
  externalId: string;
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
    externalId: '',
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

/** The secret fields the current settings use, by form key. */
export function secretsInUse(f: WizardForm): ('secretAccessKey' | 'sessionToken' | 'password' | 'clientKey')[] {
  if (f.kind === 'kafka') {
    const used: ('secretAccessKey' | 'sessionToken' | 'password' | 'clientKey')[] = [];
    if (f.mechanism === 'plain' || f.mechanism.startsWith('scram')) used.push('password');
    if (f.mechanism === 'aws') used.push(...awsSecretsInUse(f));
    if (f.tls && f.clientCertPem.trim()) used.push('clientKey');
    return used;
  }
  return awsSecretsInUse(f);
}

/** The AWS credentials' secret fields in use (a Kinesis or Firehose destination, or Kafka with MSK IAM). */
function awsSecretsInUse(f: WizardForm): ('secretAccessKey' | 'sessionToken')[] {
  const keys = f.authKind === 'access-key' || (f.authKind === 'assume-role' && f.baseKind === 'access-key');
  return keys ? ['secretAccessKey', ...(f.useSessionToken ? (['sessionToken'] as const) : [])] : [];
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
    ...(opt(f.externalId) ? { externalId: f.externalId.trim() } : {}),
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
      brokers: f.brokers.split(',').map((b) => b.trim()).filter(Boolean),
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
    f.externalId = auth.externalId ?? '';
    f.sessionName = auth.sessionName;
    f.durationSeconds = String(auth.durationSeconds);
    f.stsEndpoint = auth.stsEndpoint ?? '';
    f.baseKind = auth.base.kind;
    base(auth.base);
  } else base(auth);
}
