import type { KeyCheck } from '../../../../shared/config/source-admin';

/** The whole-model key check: unique (and how many rows), or which keys are null or shared, with examples. */
export function KeyCheckResult({ check }: { check: KeyCheck }) {
  return (
    <div className={`banner ${check.unique ? 'banner-ok' : 'banner-warn'}`} role="status" aria-label="Key check" data-unique={check.unique}>
      <strong>{check.unique ? `✓ ${check.message}` : 'The primary key is not unique: this model cannot be saved with it'}</strong>
      {!check.unique && (
        <>
          <div>{check.message}</div>
          <ul>
            {check.examples.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
