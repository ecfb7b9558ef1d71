import type { Model, ModelPreview } from '../../../../shared/config/source';
import { RenameForm } from '../../components/RenameForm';
import { PreviewTable } from './PreviewTable';

/** One model: Edit, Rename and Delete, what reads it and sends it, its query and first rows. */
export function ModelDetail({
  model,
  users,
  preview,
  previewError,
  renaming,
  busy,
  onEdit,
  onRename,
  onRenamed,
  onCancelRename,
  onRenameTyping,
  onDelete,
}: {
  model: Model;
  users: readonly string[];
  preview: ModelPreview | null;
  /** Why its rows could not be read (a file that is not UTF-8, a source gone), said where they would show. */
  previewError: unknown;
  renaming: boolean;
  busy: boolean;
  onEdit: () => void;
  onRename: () => void;
  onRenamed: (to: string) => void;
  onCancelRename: () => void;
  /** The new name was edited: a refusal of the one typed before is stale. */
  onRenameTyping: () => void;
  onDelete: () => void;
}) {
  return (
    <>
      <div className="row spread page-head">
        <h2>{model.name}</h2>
        <div className="row nowrap">
          <button type="button" className="ghost" aria-label={`Edit ${model.name}`} onClick={onEdit}>
            Edit
          </button>
          <button type="button" className="ghost" aria-label={`Rename ${model.name}`} onClick={onRename}>
            Rename
          </button>
          <button type="button" className="ghost" aria-label={`Delete ${model.name}`} disabled={busy} onClick={onDelete}>
            Delete
          </button>
        </div>
      </div>
      <p className="muted wrap-anywhere">
        Reads <strong>{model.source}</strong> · key {model.primaryKey.join(' + ')}
        {users.length > 0 && ` · sent by ${users.join(', ')}`}
      </p>
      {renaming && <RenameForm what="model" name={model.name} busy={busy} onRename={onRenamed} onCancel={onCancelRename} onTyping={onRenameTyping} />}
      {model.query && <pre className="code">{model.query}</pre>}
      {previewError ? (
        <div className="banner banner-error" role="alert" data-testid="model-preview-error">
          <div>Its rows could not be read: {previewError instanceof Error ? previewError.message : String(previewError)}</div>
        </div>
      ) : (
        preview && <PreviewTable preview={preview} primaryKey={model.primaryKey} />
      )}
    </>
  );
}
