import type { Model, Source } from '../../../../shared/config/source';
import { AskToLeave } from '../../components/DiscardDialog';
import { ErrorBanner } from '../../components/ErrorBanner';
import { useLeaveGuard } from '../../components/use-leave-guard';
import { DropsColumns } from './DropsColumns';
import { KeyCheckResult } from './KeyCheckResult';
import { RevealedError } from '../../components/RevealedError';
import { KeyPicker, ModelButtons, NameAndSource, QueryField, WholeFile } from './ModelFields';
import { useModelDraft } from './use-model-draft';

/**
 * Create or edit a model: a SQL query (with completion of the source's tables and columns) or the whole
 * file, a preview of its first rows, a primary key picked from the preview's columns and checked over
 * every row before it is saved.
 */
export function ModelEditor({ sources, editing, onDone, onCancel }: { sources: Source[]; editing?: Model; onDone(name: string): void; onCancel(): void }) {
  const draft = useModelDraft(sources, editing, onDone);
  const { name, setName, sourceName, source, sql, query, setQuery, primaryKey, preview, check, busy, saving, error, setError } = draft;
  const { firstError, dismissFirstError, chooseSource, previewOf, checkKey, save, toggleKey, drops, dismissDrops } = draft;
  const guard = useLeaveGuard(draft.changed);

  return (
    <section className="card wizard" aria-label={editing ? `Edit ${editing.name}` : 'New model'}>
      <div className="row spread">
        <h2 className="wrap-anywhere grow-text">{editing ? `Edit “${editing.name}”` : 'New model'}</h2>
        <button type="button" className="ghost" onClick={() => guard.leave(onCancel)}>
          Cancel
        </button>
      </div>
      {error !== null && <RevealedError error={error} onDismiss={() => setError(null)} />}
      {error === null && firstError !== null && <ErrorBanner error={firstError} onDismiss={dismissFirstError} />}
      <div className="wizard-form">
        <NameAndSource
          name={name}
          onName={setName}
          fixedName={editing !== undefined}
          locked={saving}
          sources={sources}
          sourceName={sourceName}
          onSource={chooseSource}
        />
        {sql ? (
          <QueryField
            query={query}
            sourceName={sourceName}
            onQuery={setQuery}
            busy={busy}
            locked={saving}
            onPreview={() => source && void previewOf(source, query)}
          />
        ) : (
          source && <WholeFile source={source} />
        )}
        {preview && <KeyPicker preview={preview} primaryKey={primaryKey} locked={saving} onToggle={toggleKey} />}
        {check && <KeyCheckResult check={check} />}
        {drops && <DropsColumns syncs={drops} onSave={() => void save(true)} onCancel={dismissDrops} />}
        <ModelButtons
          busy={busy}
          previewed={preview !== null}
          keyColumns={primaryKey.length}
          editing={editing !== undefined}
          saving={saving}
          onCheck={() => void checkKey()}
          onSave={() => void save()}
        />
      </div>
      <AskToLeave guard={guard} title={editing ? `Discard your changes to “${editing.name}”?` : 'Discard this new model?'} />
    </section>
  );
}
