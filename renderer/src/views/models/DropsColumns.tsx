import { useEffect, useRef } from 'react';
import type { ModelSavePreview } from '../../../../shared/config/source-admin';

/**
 * Save was asked for and the model's new query lacks columns that syncs on it use (the engine says which,
 * `previewModelSave`, in the words a run would stop with): save anyway, or cancel and keep editing.
 */
export function DropsColumns({ syncs, onSave, onCancel }: { syncs: ModelSavePreview['syncs']; onSave(): void; onCancel(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  // Asked below a long preview: shown whole, with its buttons, where Save was clicked.
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [syncs]);
  return (
    <div ref={ref} className="banner banner-warn" role="note" aria-label="Drops columns">
      <strong>Saving drops columns {syncs.length === 1 ? 'a sync uses' : 'syncs use'}.</strong>
      <ul>
        {syncs.map((s) => (
          <li key={s.sync}>{s.message}</li>
        ))}
      </ul>
      <div className="row">
        <button type="button" onClick={onSave}>
          Save anyway
        </button>
        <button type="button" className="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
