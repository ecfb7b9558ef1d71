import { SluiceError, describeError, readableIssues } from '../../../shared/ipc/errors';
import { fieldLabel } from './field-labels';

export function errorText(error: unknown): string {
  if (error instanceof SluiceError) return describeError(error.toWire(), fieldLabel);
  if (error instanceof Error) return error.message;
  return String(error);
}

export function ErrorBanner({ error, onDismiss }: { error: unknown; onDismiss?: () => void }) {
  // An issue the headline already says (a file's "line 2 is not UTF-8 text …") is not said again under it, labelled "Path:".
  const issues = error instanceof SluiceError ? readableIssues(error.issues, fieldLabel).filter((i) => !error.message.includes(i.message)) : [];
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      <div>
        <strong>{error instanceof SluiceError ? error.message : errorText(error)}</strong>
        {issues.length > 0 && (
          <ul>
            {issues.map((issue, i) => (
              <li key={i}>
                {issue.field && `${issue.field}:`} {issue.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {onDismiss && (
        <button type="button" className="ghost" onClick={onDismiss} aria-label="Dismiss">
          ×
        </button>
      )}
    </div>
  );
}
