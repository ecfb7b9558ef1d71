import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { queryKeys } from '../../api/queries';
import type { PreviewItem } from '../../../../shared/config/payload-preview';
import type { Sync } from '../../../../shared/config/sync';
import type { SyncSavePreview } from '../../../../shared/ipc/channels/sync-admin';
import type { SluiceApi } from '../../../../shared/ipc/contract';
import { SluiceError } from '../../../../shared/ipc/errors';
import { parseTemplate } from '../../../../shared/payload/template-diagnostics';
import { clearDraft } from './drafts';
import type { usePayloadDraft } from './use-payload-draft';
import type { usePayloadPreview } from './use-payload-preview';

type Draft = ReturnType<typeof usePayloadDraft>;
type Preview = ReturnType<typeof usePayloadPreview>;
export interface SaveInput {
  api: SluiceApi;
  sync: Sync;
  d: Draft;
  p: Preview;
  blocked: boolean;
  onSaved: (sync: Sync) => void;
  setError: (error: unknown) => void;
}

/** A save that would start the sync over, waiting for the user's yes (for this payload and these properties only). */
export interface PendingStartOver {
  key: string;
  preview: SyncSavePreview & { startsOver: NonNullable<SyncSavePreview['startsOver']> };
}

/**
 * Save: checked against the preview of this very payload; previewed rows that do not render ask for a
 * confirmation first, and so does a save that starts the sync over (another topic, a topic per event, other
 * routes: the engine says so, `previewSyncSave`, by the save's own rule).
 */
export function usePayloadSave({ api, sync, d, p, blocked, onSaved, setError }: SaveInput) {
  const client = useQueryClient();
  /** What the last save did: null before one, or whether it started the sync over. */
  const [justSaved, setJustSaved] = useState<{ startedOver: boolean } | null>(null);
  /** Save was asked for while previewed rows do not render: confirm (for this payload and these rows only). */
  const [confirmFor, setConfirm] = useState<{ key: string; failing: PreviewItem[]; total: number } | null>(null);
  const [startOverFor, setStartOver] = useState<PendingStartOver | null>(null);
  const { payload, props } = d;
  /** `anyway`: previewed rows that do not render were confirmed; `startOver`: starting over was. */
  const save = async (anyway: boolean, startOver = false) => {
    if (!payload || blocked || (payload.mode === 'template' && !parseTemplate(payload.template).ok)) return;
    setJustSaved(null);
    try {
      // Save what the preview says about this very payload: a stale or pending preview is asked again.
      const check = p.fresh ?? (await p.requestPreview(payload));
      const problem = check.problems[0];
      if (problem) {
        // (Asked here when Save came before the preview's answer: said, as the preview will say it.)
        const where = problem.where ? `${problem.where}${problem.line !== null ? ` (line ${problem.line}, column ${problem.column ?? 1})` : ''}: ` : '';
        setError(new SluiceError('invalid-input', `Not saved: ${where}${problem.message}`));
        return;
      }
      const failing = check.items.filter((i) => i.error !== null);
      if (failing.length > 0 && !anyway) {
        setConfirm({ key: p.previewKey, failing, total: check.items.length });
        return;
      }
      const next: Sync = { ...sync, payload, ...props };
      const preview = startOver ? null : await api.previewSyncSave({ sync: next });
      if (preview && preview.startsOver !== null) {
        setConfirm(null);
        setStartOver({ key: p.previewKey, preview: { ...preview, startsOver: preview.startsOver } });
        return;
      }
      const result = await api.saveSync(next);
      d.setSaved(result);
      onSaved(result);
      // The routing previews of the sync were asked of what was saved before (one asked without an unsaved payload reads the saved one).
      void client.invalidateQueries({ queryKey: queryKeys.syncRouting(sync.name) });
      clearDraft(sync.name);
      d.setDraftNotice(false);
      setConfirm(null);
      setStartOver(null);
      setJustSaved({ startedOver: startOver });
    } catch (err) {
      setError(err);
    }
  };
  const current = <T extends { key: string }>(pending: T | null) => (pending?.key === p.previewKey ? pending : null);
  const dismiss = () => {
    setConfirm(null);
    setStartOver(null);
  };
  return { save, confirm: current(confirmFor), startOver: current(startOverFor), dismiss, justSaved };
}
