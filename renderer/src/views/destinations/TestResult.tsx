import type { ConnectionTest } from '../../../../shared/config/connection-test';
import { fmt } from '../../../../shared/format/format';

const MARK = { ok: '✓', warning: '!', failed: '✗', skipped: '–' } as const;

/** A connection test shown step by step, with the hint and the raw error behind a failure. */
export function TestResult({ result, title }: { result: ConnectionTest; title?: string }) {
  return (
    <section className="card" aria-label="Connection test">
      <h2>
        {title ??
          `${result.destination}: ${result.ok ? (result.steps.some((s) => s.status === 'warning') ? 'connection works, with a warning' : 'connection works') : 'connection failed'}`}
      </h2>
      <ol className="steps">
        {result.steps.map((s) => (
          <li key={s.step} className={`step step-${s.status}`} data-step={s.step} data-status={s.status}>
            <span className="mark" aria-hidden>
              {MARK[s.status]}
            </span>
            <div>
              <strong>{s.step}</strong> <span className="muted">{s.status === 'skipped' ? '' : fmt.duration(s.ms)}</span>
              <div>{s.detail}</div>
              {s.hint && <div className="hint">→ {s.hint}</div>}
              {s.status === 'failed' && s.raw && (
                <details>
                  <summary>Raw error</summary>
                  <code>{s.raw}</code>
                </details>
              )}
            </div>
          </li>
        ))}
      </ol>
      {result.listed.length > 0 && <p className="muted">Listed: {result.listed.join(', ')}</p>}
    </section>
  );
}
