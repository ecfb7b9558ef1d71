import { useEffect, useRef, useState } from 'react';
import type { SecretRef } from '../../../../shared/ipc/contract';
import { SluiceError } from '../../../../shared/ipc/errors';
import { useSession } from '../../api/context';
import { passwordStep, type SourceForm } from './source-form';

/**
 * A PostgreSQL source's password: the keychain's secrets to pick from, the field (named after the source
 * until the user names it), and the step before a test or save that puts a typed password in the keychain.
 * Secrets this form saved are removed again on Cancel.
 */
export function useSourcePassword(form: SourceForm, setForm: (form: SourceForm) => void, onError: (err: unknown) => void) {
  const { api } = useSession();
  const [secrets, setSecrets] = useState<SecretRef[]>([]);
  const created = useRef<string[]>([]);

  useEffect(() => {
    api.listSecrets({}).then(setSecrets, onError);
    return api.on('secretsChanged', setSecrets);
  }, [api, onError]);

  const defaultSecretName = `${form.name.trim() || 'source'}/password`;
  const passwordField = form.password.mode === 'new' && !form.password.name ? { ...form.password, name: defaultSecretName } : form.password;

  /** A typed password goes to the keychain first; the form then refers to it by name. */
  const savePassword = async (): Promise<SourceForm> => {
    const plan = passwordStep(
      form,
      passwordField,
      secrets.map((s) => s.name),
      created.current,
    );
    if (plan.step === 'keep') return form;
    // No password at all: a server that trusts the user (or a .pgpass) needs none.
    if (plan.step === 'none') return { ...form, password: { mode: 'new', name: '', value: '' } };
    if (plan.step === 'taken') {
      throw new SluiceError(
        'conflict',
        `A secret named "${plan.name}" is already saved in the keychain: choose "A secret saved in the keychain" to use it, or give the new one another name`,
        [{ path: 'password', message: 'This keychain name is taken' }],
      );
    }
    const name = plan.step === 'save' ? (await api.saveSecret({ name: plan.name, value: plan.value })).name : plan.name;
    if (plan.step === 'save' && !created.current.includes(name)) created.current.push(name);
    const next = { ...form, password: { mode: 'existing' as const, name, value: '' } };
    setForm(next);
    return next;
  };

  return {
    secrets,
    passwordField,
    savePassword,
    /** The source is saved: the secrets it uses stay. */
    forgetCreated: () => {
      created.current = [];
    },
    /** Cancelled: the secrets typed here go again. */
    removeCreated: async () => {
      for (const name of created.current.splice(0)) await api.deleteSecret({ name }).catch(() => undefined);
    },
  };
}
