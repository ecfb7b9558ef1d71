import { useEffect, useRef, useState, type Dispatch, type SetStateAction } from 'react';
import type { SecretRef, SluiceApi } from '../../../../../shared/ipc/contract';
import { SluiceError } from '../../../../../shared/ipc/errors';
import type { SecretField, SecretKey, WizardForm } from '../../../destinations/wizard-state';
import { secretsInUse } from '../wizard-form';

const SECRET_SUFFIX: Record<SecretKey, string> = {
  secretAccessKey: 'secret-access-key',
  sessionToken: 'session-token',
  password: 'password',
  clientKey: 'client-key',
  externalId: 'external-id',
};

/** A new secret without a keychain name gets the default one: `<destination>/<suffix>`. */
export function withDefaultName(form: WizardForm, key: SecretKey): SecretField {
  const field = form[key];
  return field.mode === 'new' && !field.name ? { ...field, name: `${form.name.trim() || 'destination'}/${SECRET_SUFFIX[key]}` } : field;
}

/** Every secret in use named (a generated external ID was never typed). */
export function namedSecrets(form: WizardForm): WizardForm {
  return secretsInUse(form).reduce<WizardForm>((f, key) => ({ ...f, [key]: withDefaultName(f, key) }), form);
}

/** Saves one secret field if it holds a new value; answers the field as the form then keeps it. */
async function saveSecret(api: SluiceApi, key: SecretKey, field: SecretField, saved: SecretRef[], created: string[]): Promise<SecretField> {
  if (field.mode !== 'new') return field;
  const name = field.name.trim();
  if (!name) throw new SluiceError('invalid-input', 'Give each new secret a keychain name', [{ path: key, message: 'The keychain name is empty' }]);
  const exists = saved.some((s) => s.name === name);
  if (!field.value) {
    if (exists) return { mode: 'existing', name, value: '' };
    throw new SluiceError('invalid-input', `Type the value of the secret "${name}", or choose a saved secret`, [{ path: key, message: 'The value is empty' }]);
  }
  // Never overwrite a saved secret: another destination may use it.
  if (exists && !created.includes(name)) {
    throw new SluiceError(
      'conflict',
      `A secret named "${name}" is already saved in the keychain (another destination may use it): choose "A secret saved in the keychain" to use it, give the new one another name, or delete it in Settings → Secrets if nothing uses it (a wizard closed before it saved its destination leaves its secrets; Sluice refuses to delete one in use)`,
      [{ path: key, message: 'This keychain name is taken' }],
    );
  }
  const result = await api.saveSecret({ name, value: field.value });
  if (!created.includes(result.name)) created.push(result.name);
  return { mode: 'existing', name: result.name, value: '' };
}

/**
 * The keychain secrets the wizard offers and saves: every newly typed secret is saved on Test (the form
 * keeps only its name), and the ones this wizard saved are deleted again if it is cancelled.
 */
export function useWizardSecrets(api: SluiceApi, form: WizardForm, setForm: Dispatch<SetStateAction<WizardForm>>, setError: (error: unknown) => void) {
  const [secrets, setSecrets] = useState<SecretRef[]>([]);
  const created = useRef<string[]>([]);
  useEffect(() => {
    api.listSecrets({}).then(setSecrets, setError);
    return api.on('secretsChanged', setSecrets);
  }, [api, setError]);

  const saveNewSecrets = async (): Promise<WizardForm> => {
    let next = form;
    for (const key of secretsInUse(form)) next = { ...next, [key]: await saveSecret(api, key, withDefaultName(form, key), secrets, created.current) };
    setForm(next);
    return next;
  };

  /** Cancelling removes the secrets the wizard saved to the keychain for a destination that was never saved. */
  const discardSaved = async () => {
    for (const name of created.current.splice(0)) await api.deleteSecret({ name }).catch(() => undefined);
  };
  return { secrets, saveNewSecrets, discardSaved };
}
