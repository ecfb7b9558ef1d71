import { useCallback, useEffect, useState } from 'react';
import type { TemplateTestCase, TemplateTestRun } from '../../../../shared/config/template-tests';
import type { Payload } from '../../../../shared/config/sync';
import { useSession } from '../../api/context';
import { ErrorBanner } from '../../components/ErrorBanner';

/** A failed case: its error, the differences path by path, and the expected and actual output side by side. */
function FailedCase({ result: r }: { result: TemplateTestRun['results'][number] }) {
  return (
    <div className="test-diff" data-testid="template-test-diff">
      {r.error && (
        <div className="banner banner-error" role="alert">
          {r.error}
        </div>
      )}
      {r.differences.length > 0 && (
        <pre className="code diff">
          {r.differences.map((d) => (
            <span key={d.path}>
              <span className="diff-del">{`- ${d.path}: ${d.expected ?? '(missing)'}`}</span>
              {'\n'}
              <span className="diff-add">{`+ ${d.path}: ${d.actual ?? '(missing)'}`}</span>
              {'\n'}
            </span>
          ))}
        </pre>
      )}
      <div className="editor-split">
        <div>
          <span className="muted small">expected</span>
          <pre className="code">{r.expected}</pre>
        </div>
        <div>
          <span className="muted small">actual</span>
          {r.tombstone ? <p className="muted">Tombstone (null value)</p> : <pre className="code">{r.actual ?? '(no output)'}</pre>}
        </div>
      </div>
    </div>
  );
}

/** The sync's template tests: saved rows with the JSON they must produce; run them against the payload being edited. */
export function TemplateTests({ sync, payload, version }: { sync: string; payload: Payload | null; version: number }) {
  const { api } = useSession();
  const [cases, setCases] = useState<TemplateTestCase[]>([]);
  const [run, setRun] = useState<TemplateTestRun | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = useCallback(() => {
    api.listTemplateTests({ sync }).then(setCases, setError);
  }, [api, sync]);
  useEffect(load, [load, version]);

  const runAll = async () => {
    try {
      setRun(await api.runTemplateTests({ sync, payload: payload ?? undefined }));
    } catch (err) {
      setError(err);
    }
  };
  const resultOf = (id: number) => run?.results.find((r) => r.id === id);

  return (
    <section className="template-tests" aria-label="Template tests">
      <div className="row spread">
        <h3>Template tests</h3>
        <div className="row">
          {run && (
            <span className={run.failed ? 'danger' : 'muted'} role="status" data-testid="template-test-summary">
              {run.passed} passed, {run.failed} failed
            </span>
          )}
          <button type="button" disabled={cases.length === 0} onClick={() => void runAll()}>
            Run all
          </button>
        </div>
      </div>
      {error !== null && <ErrorBanner error={error} onDismiss={() => setError(null)} />}
      {run?.problem && (
        <div className="banner banner-error" role="alert">
          {run.problem}
        </div>
      )}
      {cases.length === 0 && <p className="muted small">No test cases yet: use “Save as test case” on a previewed row.</p>}
      {cases.map((c) => {
        const r = resultOf(c.id);
        return (
          <article key={c.id} className="preview-item" data-testid="template-test-case">
            <header className="row spread">
              <strong>
                {r ? (r.passed ? '✓ ' : '✗ ') : ''}key {c.key}{' '}
                <span className="muted">
                  ({c.event}
                  {r?.tombstone ? ', a tombstone' : ''})
                </span>
              </strong>
              <button
                type="button"
                className="ghost"
                aria-label={`Delete test case ${c.key}`}
                onClick={() => {
                  api.deleteTemplateTest({ id: c.id }).then(load, setError);
                }}
              >
                ×
              </button>
            </header>
            {r && !r.passed && <FailedCase result={r} />}
          </article>
        );
      })}
    </section>
  );
}
