import { useState } from 'react';
import type { Source } from '../../../shared/config/source';
import type { SourceTest } from '../../../shared/config/source-admin';
import { useSession } from '../api/context';
import { useDismissable, useModels, useSources } from '../api/queries';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { RenameForm } from '../components/RenameForm';
import { useJumpedRow } from '../components/select-from-hash';
import { kindLabel, whereOf } from './sources/source-form';
import { SourceEditor } from './sources/SourceEditor';
import { SourceTestResult } from './sources/SourceTestResult';
import { fmt } from '../../../shared/format/format';
import { TableScroll } from '../components/TableScroll';

type Panel = { mode: 'list' } | { mode: 'new' } | { mode: 'edit'; source: Source } | { mode: 'rename'; source: Source };

/** `#/sources?new` opens the form at once (the Models page's "Add a source"). */
const askedForNew = () => window.location.hash.includes('?new');

/** Sources: add, edit, test, rename and delete the files and databases rows come from (issue #14). */
export function SourcesView() {
  const { api } = useSession();
  const [sourcesQuery, modelsQuery] = [useSources(), useModels()];
  // The page shows once both lists are there (a source's models say it is in use).
  const sources = modelsQuery.data !== undefined ? (sourcesQuery.data ?? null) : null;
  const models = modelsQuery.data ?? [];
  const [actionError, setError] = useState<unknown>(null);
  const [error, dismissError] = useDismissable(actionError ?? sourcesQuery.error ?? modelsQuery.error);
  const [panel, setPanel] = useState<Panel>(() => (askedForNew() ? { mode: 'new' } : { mode: 'list' }));
  const [notice, setNotice] = useState<string | null>(null);
  const [testing, setTesting] = useState<string | null>(null);
  const [result, setResult] = useState<SourceTest | null>(null);
  const [busy, setBusy] = useState(false);
  const jumped = useJumpedRow('sources', sources !== null, () => setPanel({ mode: 'list' }));

  const test = async (source: Source) => {
    setTesting(source.name);
    setResult(null);
    try {
      setResult(await api.testSource({ draft: source }));
    } catch (err) {
      setError(err);
    } finally {
      setTesting(null);
    }
  };
  const remove = async (name: string) => {
    if (!window.confirm(`Delete the source "${name}"? The file or database itself is not touched.`)) return;
    setError(null);
    setNotice(null);
    try {
      await api.deleteSource({ name });
      setNotice(`Deleted "${name}".`);
    } catch (err) {
      setError(err);
    }
  };
  const rename = async (from: string, to: string) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await api.renameSource({ from, to });
      setPanel({ mode: 'list' });
      const users = models.filter((m) => m.source === from).length;
      setNotice(`Renamed "${from}" to "${to}"${users ? ` (${fmt.count(users, 'model')} updated)` : ''}.`);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const done = (name: string) => {
    setPanel({ mode: 'list' });
    setNotice(`Saved "${name}". Next: a model that reads it, on the Models page.`);
    if (askedForNew()) window.history.replaceState(null, '', '#/sources');
  };

  if (!sources) return error ? <ErrorBanner error={error} /> : null;
  if (panel.mode === 'new' || panel.mode === 'edit') {
    return (
      <div className="page">
        <h1>Sources</h1>
        <SourceEditor editing={panel.mode === 'edit' ? panel.source : undefined} onDone={done} onCancel={() => setPanel({ mode: 'list' })} />
      </div>
    );
  }
  const addButton = (
    <button type="button" onClick={() => setPanel({ mode: 'new' })}>
      Add a source
    </button>
  );
  if (sources.length === 0) {
    return (
      <EmptyState title="Start here: add a source">
        <p>A source is where your rows are: a SQLite, CSV or NDJSON file on this computer, or a PostgreSQL database.</p>
        <p>Then write a model (a query, or the whole file) on the Models page, and a sync sends its rows.</p>
        {addButton}
      </EmptyState>
    );
  }
  return (
    <div className="page">
      <div className="row spread page-head">
        <h1>Sources</h1>
        {addButton}
      </div>
      {error !== null && <ErrorBanner error={error} onDismiss={() => (setError(null), dismissError())} />}
      {notice && (
        <div className="banner banner-ok" role="status">
          {notice}
        </div>
      )}
      {panel.mode === 'rename' && (
        <RenameForm
          what="source"
          name={panel.source.name}
          busy={busy}
          onRename={(to) => void rename(panel.source.name, to)}
          onCancel={() => setPanel({ mode: 'list' })}
        />
      )}
      <TableScroll label="Sources">
        <table className="table" aria-label="Sources">
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Where</th>
              <th>Models</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sources.map((s) => {
              const users = models.filter((m) => m.source === s.name).map((m) => m.name);
              return (
                <tr
                  key={s.name}
                  data-row-name={s.name}
                  className={jumped === s.name ? 'selected' : undefined}
                  aria-current={jumped === s.name ? 'true' : undefined}
                >
                  <td>{s.name}</td>
                  <td>{kindLabel(s.kind)}</td>
                  <td className="muted wrap-anywhere">
                    <code>{whereOf(s)}</code>
                  </td>
                  <td className="muted">{users.length ? users.join(', ') : '—'}</td>
                  <td className="actions">
                    <div className="row nowrap">
                      <button type="button" className="ghost" disabled={testing !== null} aria-label={`Test ${s.name}`} onClick={() => void test(s)}>
                        {testing === s.name ? 'Testing…' : 'Test'}
                      </button>
                      <button type="button" className="ghost" aria-label={`Edit ${s.name}`} onClick={() => setPanel({ mode: 'edit', source: s })}>
                        Edit
                      </button>
                      <button type="button" className="ghost" aria-label={`Rename ${s.name}`} onClick={() => setPanel({ mode: 'rename', source: s })}>
                        Rename
                      </button>
                      <button type="button" className="ghost" aria-label={`Delete ${s.name}`} onClick={() => void remove(s.name)}>
                        Delete
                      </button>
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      {result && <SourceTestResult result={result} />}
    </div>
  );
}
