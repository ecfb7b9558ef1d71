import { useState } from 'react';
import type { Source } from '../../../shared/config/source';
import { useDismissable, useModels, useSources } from '../api/queries';
import { ConfirmDelete } from '../components/ConfirmDelete';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { RenameForm } from '../components/RenameForm';
import { askFirst } from '../components/leave-guard';
import { useJumpedRow } from '../components/select-from-hash';
import { SourceEditor } from './sources/SourceEditor';
import { SourceTestResult } from './sources/SourceTestResult';
import { useSourceActions } from './sources/use-source-actions';
import { SourceTable } from './sources/SourceTable';
import { Notice } from '../components/Notice';

type Panel = { mode: 'list' } | { mode: 'new' } | { mode: 'edit'; source: Source } | { mode: 'rename'; source: Source };

/** `#/sources?new` opens the form at once (the Models page's "Add a source"). */
const askedForNew = () => window.location.hash.includes('?new');

/** Sources: add, edit, test, rename and delete the files and databases rows come from (issue #14). */
export function SourcesView() {
  const [sourcesQuery, modelsQuery] = [useSources(), useModels()];
  // The page shows once both lists are there (a source's models say it is in use).
  const sources = modelsQuery.data !== undefined ? (sourcesQuery.data ?? null) : null;
  const models = modelsQuery.data ?? [];
  const [panel, setPanel] = useState<Panel>(() => (askedForNew() ? { mode: 'new' } : { mode: 'list' }));
  const { actionError, setError, notice, setNotice, testing, result, busy, test, remove, deletion, rename } = useSourceActions(models, () =>
    setPanel({ mode: 'list' }),
  );
  const [error, dismissError] = useDismissable(actionError ?? sourcesQuery.error ?? modelsQuery.error);
  const jumped = useJumpedRow('sources', sources !== null, () => setPanel({ mode: 'list' }));

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
    <button type="button" onClick={() => askFirst(() => setPanel({ mode: 'new' }))}>
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
      {notice && <Notice text={notice} onDismiss={() => setNotice(null)} />}
      {panel.mode === 'rename' && (
        <RenameForm
          key={panel.source.name}
          what="source"
          name={panel.source.name}
          busy={busy}
          onRename={(to) => void rename(panel.source.name, to)}
          onCancel={() => setPanel({ mode: 'list' })}
          onTyping={() => (setError(null), dismissError())}
        />
      )}
      <SourceTable
        sources={sources}
        models={models}
        jumped={jumped}
        testing={testing}
        onTest={(source) => void test(source)}
        onEdit={(source) => askFirst(() => setPanel({ mode: 'edit', source }))}
        onRename={(source) => (panel.mode !== 'rename' || panel.source.name !== source.name) && askFirst(() => setPanel({ mode: 'rename', source }))}
        onDelete={(source) => remove(source.name)}
      />
      {result && <SourceTestResult result={result} />}
      {deletion.name !== null && (
        <ConfirmDelete what="source" name={deletion.name} busy={busy} onCancel={deletion.cancel} onConfirm={deletion.confirm}>
          The file or database itself is not touched.
        </ConfirmDelete>
      )}
    </div>
  );
}
