import { useState } from 'react';
import type { Model } from '../../../../shared/config/source';
import type { KeyCheck, ModelSavePreview } from '../../../../shared/config/source-admin';
import { useSession } from '../../api/context';
import type { useAction } from '../../components/useAction';

type Action = ReturnType<typeof useAction>;

/**
 * Save: an edited model whose query lacks columns that syncs on it use asks first (the engine says which,
 * `previewModelSave`); then its key is checked over every row, and only a unique key is saved. While it
 * goes (`saving`) the draft cannot be edited: what is saved is what the user sees, not the draft as it was
 * when Save was clicked under edits made during the check.
 */
export function useModelSave({
  editing,
  model,
  draftKey,
  run,
  setBusy,
  setCheck,
  onDone,
}: {
  editing: Model | undefined;
  /** The model as typed, checked by the contract's schema (throws with the fields to fix). */
  model: () => Model;
  /** The draft as typed, so a question asked of it goes once it is edited. */
  draftKey: string;
  run: Action['run'];
  setBusy: Action['setBusy'];
  setCheck: (check: KeyCheck) => void;
  onDone: (name: string) => void;
}) {
  const { api } = useSession();
  /** Save was asked for and the query lacks columns that syncs on the model use: waiting for Save anyway or Cancel. */
  const [drops, setDrops] = useState<{ key: string; syncs: ModelSavePreview['syncs'] } | null>(null);
  const [saving, setSaving] = useState(false);
  /** The draft as the editor opened: anything else is a change that leaving would lose. */
  const [opened] = useState(draftKey);

  /** `anyway`: the columns its syncs use that the query lacks were confirmed. */
  const save = async (anyway = false) => {
    setSaving(true);
    try {
      await run('Checking every row…', async () => {
        const m = model();
        setDrops(null);
        if (editing && !anyway) {
          // A query that cannot be read is said by the key check below, as before.
          const asked = await api.previewModelSave({ model: m }).catch(() => null);
          if (asked && asked.syncs.length > 0) return setDrops({ key: draftKey, syncs: asked.syncs });
        }
        const result = await api.checkModelKeys({ model: m });
        setCheck(result);
        if (!result.unique) return;
        setBusy('Saving…');
        const saved = await api.saveModel({ model: m, mode: editing ? 'update' : 'create' });
        onDone(saved.model.name);
      });
    } finally {
      setSaving(false);
    }
  };

  return { save, saving, changed: draftKey !== opened, drops: drops?.key === draftKey ? drops.syncs : null, dismissDrops: () => setDrops(null) };
}
