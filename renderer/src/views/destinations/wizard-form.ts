import type { Destination, DestinationDraft } from '../../../../shared/config/destination';
import type { EditableDestination } from '../../destinations/kinds/registry';
import type { WizardKind } from '../../destinations/kinds/types';
import { wizardOf } from '../../destinations/kinds/registry';
import { generatedExternalId, secret, type SecretKey, type WizardForm } from '../../destinations/wizard-state';

export type { WizardKind } from '../../destinations/kinds/types';
export type { SecretField, SecretKey, WizardForm } from '../../destinations/wizard-state';
export { newExternalId, withNewExternalId } from '../../destinations/wizard-state';

/** A new form of a kind: the common defaults, and the kind's own (Kafka's MSK IAM region is empty: the brokers' host names tell it). */
export function emptyForm(kind: WizardKind): WizardForm {
  return {
    kind,
    name: '',
    region: 'us-east-1',
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
    ...wizardOf(kind).defaults,
  };
}

/** The secret fields the current settings use, by form key. */
export function secretsInUse(f: WizardForm): SecretKey[] {
  return wizardOf(f.kind).secretsInUse(f);
}

/** The draft the engine tests, lists and (once the stream is chosen) saves. */
export function toDraft(f: WizardForm, target: string = f.target): DestinationDraft {
  return wizardOf(f.kind).toDraft(f, f.name.trim(), target);
}

/** A saved destination back into the form (Edit). Secrets stay references. */
export function fromDestination(d: EditableDestination): WizardForm {
  const f = emptyForm(d.kind);
  f.name = d.name;
  (wizardOf(d.kind).toForm as (d: Destination, f: WizardForm) => void)(d, f);
  return f;
}
