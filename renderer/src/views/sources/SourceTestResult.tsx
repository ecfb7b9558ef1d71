import type { SourceTest } from '../../../../shared/config/source-admin';
import { fmt } from '../../../../shared/format/format';

/** A source test: what worked or what to fix, and the tables (with their columns) it found. */
export function SourceTestResult({ result }: { result: SourceTest }) {
  return (
    <section className="card" aria-label="Source test" data-ok={result.ok}>
      <h2>
        <span className={result.ok ? 'ok-mark' : 'danger'} aria-hidden>
          {result.ok ? '✓' : '✗'}
        </span>{' '}
        {result.source || 'New source'}: {result.ok ? 'it works' : 'it does not work yet'} <span className="muted small">{fmt.duration(result.ms)}</span>
      </h2>
      <div>{result.detail}</div>
      {result.hint && <div className="hint">→ {result.hint}</div>}
      {result.tables.length > 0 && (
        <ul className="table-list" aria-label="Tables">
          {result.tables.map((t) => (
            <li key={t.name}>
              <strong>{t.name}</strong> <span className="muted small">{t.columns.map((c) => `${c.name} ${c.type}`).join(' · ')}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
