import type { KeyCheck } from '../../../../shared/config/source-admin';

/** The whole-model key check: unique (and how many rows), or which keys are null or shared, with examples. */
export function KeyCheckResult({ check }: { check: KeyCheck }) {
  return (
    <div className={`banner ${check.unique ? 'banner-ok' : 'banner-warn'}`} role="status" aria-label="Key check" data-unique={check.unique}>
      <strong>{check.unique ? `✓ ${check.message}` : `${keyProblem(check)}: this model cannot be saved with it`}</strong>
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

/** What is wrong with the key: shared values, nulls, or both (a key with nulls alone was said to be "not unique"). */
function keyProblem({ duplicateKeys, nullRows }: KeyCheck): string {
  if (duplicateKeys > 0 && nullRows > 0) return 'The primary key is not unique, and null in some rows';
  return duplicateKeys > 0 ? 'The primary key is not unique' : 'The primary key is null in some rows';
}
