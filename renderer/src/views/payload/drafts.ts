import type { MappedField } from '../../../../shared/payload/mapping-template';
import type { Payload, Sync } from '../../../../shared/config/sync';

/** What the payload editor holds for each mode (a draft keeps all three, so switching modes loses nothing). */
export interface PayloadDraft {
  mode: Payload['mode'];
  template: string;
  column: string;
  fields: MappedField[];
}

const KEY = (sync: string) => `sluice.draft.${sync}`;
const STARTER = '{\n  "id": {{ row.id | json }}\n}';

/** The editor's state for a saved payload. */
export function draftOf(payload: Payload): PayloadDraft {
  return {
    mode: payload.mode,
    template: payload.mode === 'template' ? payload.template : STARTER,
    column: payload.mode === 'json-column' ? payload.column : '',
    fields: payload.mode === 'mapping' ? payload.fields : [{ column: '', key: '' }],
  };
}

/** Whether the editor shows something else than the saved payload (only the current mode counts). */
export function differsFromSaved(draft: PayloadDraft, saved: Payload): boolean {
  if (draft.mode !== saved.mode) return true;
  if (saved.mode === 'template') return draft.template !== saved.template;
  if (saved.mode === 'json-column') return draft.column !== saved.column;
  return JSON.stringify(draft.fields) !== JSON.stringify(saved.fields);
}

/** A draft kept in this browser's storage, if there is one for the sync. */
export function readDraft(sync: Sync): PayloadDraft | null {
  try {
    const raw = localStorage.getItem(KEY(sync.name));
    if (!raw) return null;
    const stored = JSON.parse(raw) as Partial<PayloadDraft>;
    const base = draftOf(sync.payload);
    if (stored.mode !== 'template' && stored.mode !== 'json-column' && stored.mode !== 'mapping') return null;
    return {
      mode: stored.mode,
      template: typeof stored.template === 'string' ? stored.template : base.template,
      column: typeof stored.column === 'string' ? stored.column : base.column,
      fields: Array.isArray(stored.fields) ? stored.fields : base.fields,
    };
  } catch {
    return null;
  }
}

export function writeDraft(sync: string, draft: PayloadDraft): void {
  try {
    localStorage.setItem(KEY(sync), JSON.stringify(draft));
  } catch {
    // Storage full or refused: the draft lives on in the editor until the window closes.
  }
}

export function clearDraft(sync: string): void {
  localStorage.removeItem(KEY(sync));
}
