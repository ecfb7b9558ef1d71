import type { SecretRef } from '../../../../shared/ipc/contract';
import type { SecretField } from './wizard-form';

/**
 * A secret in the wizard: typed in (saved to the keychain under a name when the wizard moves on),
 * picked from the keychain, or read from an environment variable. The value is never stored in a destination.
 */
export function SecretInput({
  label,
  field,
  saved,
  reveal = false,
  onChange,
}: {
  label: string;
  field: SecretField;
  saved: SecretRef[];
  /** Show a new value as text (an external ID, which the user passes on). */ reveal?: boolean;
  onChange(next: SecretField): void;
}) {
  return (
    <fieldset className="secret-input" aria-label={label}>
      <legend>{label}</legend>
      <div className="row">
        <label className="field">
          <span>Where it comes from</span>
          <select
            aria-label={`${label}: source`}
            value={field.mode}
            onChange={(e) => onChange({ ...field, mode: e.target.value as SecretField['mode'], value: '' })}
          >
            <option value="new">Type it (saved to the keychain when you test the connection)</option>
            <option value="existing">A secret saved in the keychain</option>
            <option value="env">An environment variable</option>
          </select>
        </label>
        {field.mode === 'new' && (
          <>
            <label className="field grow">
              <span>Keychain name</span>
              <input aria-label={`${label}: keychain name`} value={field.name} onChange={(e) => onChange({ ...field, name: e.target.value })} />
            </label>
            <label className="field grow">
              <span>Value</span>
              <input
                aria-label={`${label}: value`}
                type={reveal ? 'text' : 'password'}
                autoComplete="off"
                spellCheck={false}
                value={field.value}
                onChange={(e) => onChange({ ...field, value: e.target.value })}
              />
            </label>
          </>
        )}
        {field.mode === 'existing' && (
          <label className="field grow">
            <span>Saved secret</span>
            <select aria-label={`${label}: saved secret`} value={field.name} onChange={(e) => onChange({ ...field, name: e.target.value })}>
              <option value="">Choose…</option>
              {saved.map((s) => (
                <option key={s.name} value={s.name}>
                  {s.name}
                </option>
              ))}
              {field.name && !saved.some((s) => s.name === field.name) && <option value={field.name}>{field.name} (not in the keychain)</option>}
            </select>
          </label>
        )}
        {field.mode === 'env' && (
          <label className="field grow">
            <span>Variable</span>
            <input aria-label={`${label}: environment variable`} value={field.name} onChange={(e) => onChange({ ...field, name: e.target.value })} />
          </label>
        )}
      </div>
    </fieldset>
  );
}
