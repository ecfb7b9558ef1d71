import { useState } from 'react';
import type { IamPolicyAdvice } from '../../../../shared/destinations/iam-policy';

function CopyBlock({ label, text }: { label: string; text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="policy-block">
      <div className="row spread">
        <strong>{label}</strong>
        <button
          type="button"
          className="ghost"
          onClick={() => {
            void navigator.clipboard?.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? 'Copied' : `Copy the ${label}`}
        </button>
      </div>
      <pre className="code" aria-label={label}>
        {text}
      </pre>
    </div>
  );
}

/** The least-privilege IAM policy for the destination being set up, ready to copy. */
export function PolicyView({ advice }: { advice: IamPolicyAdvice | null }) {
  if (!advice) return <p className="muted">This destination needs no IAM policy.</p>;
  return (
    <section aria-label="Least-privilege IAM policy">
      <p>
        Attach this policy to {advice.attachTo}: it allows exactly what Sluice calls for this destination.
        {advice.placeholders.length > 0 && (
          <>
            {' '}
            Replace <code>{advice.placeholders.join(', ')}</code> before you use it.
          </>
        )}
      </p>
      {advice.trust && (
        <p data-testid="policy-trust">
          The role must trust{' '}
          {advice.trust.principal ? (
            <>
              <code>{advice.trust.principal}</code> (account <code>{advice.trust.account}</code>)
            </>
          ) : (
            'the identity of the base credentials'
          )}
          {advice.trust.externalIds.length > 0 ? (
            <>
              {' '}
              and require the external ID{advice.trust.externalIds.length > 1 ? 's' : ''}{' '}
              {advice.trust.externalIds.map((id, i) => (
                <span key={id}>
                  {i > 0 ? ', ' : ''}
                  <code>{id}</code>
                </span>
              ))}
              .
            </>
          ) : (
            '.'
          )}
        </p>
      )}
      <CopyBlock label="IAM policy" text={JSON.stringify(advice.policy, null, 2)} />
      {advice.trustPolicy && <CopyBlock label="Trust policy" text={JSON.stringify(advice.trustPolicy, null, 2)} />}
      {advice.basePolicy && <CopyBlock label="Base credentials policy" text={JSON.stringify(advice.basePolicy, null, 2)} />}
    </section>
  );
}
