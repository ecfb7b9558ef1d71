import type { AwsAuth, KafkaAuth } from '../../../shared/config/destination';
import type { SecretReference } from '../../../shared/config/names';
import type { WizardKind } from './kinds/types';

/** How the wizard holds a secret: a new value to save in the keychain, a saved keychain entry, or an environment variable. */
export interface SecretField {
  mode: 'new' | 'existing' | 'env';
  /** The keychain name (new or existing) or the environment variable. */
  name: string;
  /** A new value, kept only until it is saved to the keychain. */
  value: string;
}

type AuthKind = AwsAuth['kind'];
type BaseKind = 'access-key' | 'default-chain';

/** The destination wizard's fields, every kind's at once (switching kind keeps none of them but the name). */
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

export type SecretKey = 'secretAccessKey' | 'sessionToken' | 'password' | 'clientKey' | 'externalId';

export const secret = (name = ''): SecretField => ({ mode: 'new', name, value: '' });

/** A secret field as the destination refers to it: a keychain name or an environment variable. */
export function ref(s: SecretField): SecretReference {
  return s.mode === 'env' ? { env: s.name.trim() } : { keychain: s.name.trim() };
}

/** A saved reference back into a field (Edit). */
export function fromRef(r: SecretReference | undefined): SecretField {
  if (!r) return secret();
  return 'env' in r ? { mode: 'env', name: r.env, value: '' } : { mode: 'existing', name: r.keychain, value: '' };
}

/** The trimmed text, or undefined when there is none. */
export const opt = (s: string) => (s.trim() ? s.trim() : undefined);

/** A new external ID for a role's trust policy: `sluice-` and 32 random hex digits. */
export function newExternalId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `sluice-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function generatedExternalId(): Pick<WizardForm, 'externalId' | 'knownExternalId'> {
  const value = newExternalId();
  return { externalId: { mode: 'new', name: '', value }, knownExternalId: value };
}

/** Regenerates the external ID (the user asked for another one, or ticked "require an external ID" again). */
export function withNewExternalId(f: WizardForm): WizardForm {
  return { ...f, ...generatedExternalId() };
}
