import type { ReactNode } from 'react';
import { ConfirmDialog } from './ConfirmDialog';

/**
 * "Delete the model “people”?": the in-app question before a source, model or destination is deleted, as a
 * sync's Delete asks (Cancel has the focus; Escape cancels); `children` says what is and is not touched.
 */
export function ConfirmDelete({
  what,
  name,
  busy,
  onCancel,
  onConfirm,
  children,
}: {
  what: 'source' | 'model' | 'destination';
  name: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
  children: ReactNode;
}) {
  return (
    <ConfirmDialog title={`Delete the ${what} “${name}”?`} confirmLabel={`Delete ${what}`} destructive busy={busy} onCancel={onCancel} onConfirm={onConfirm}>
      <p>{children}</p>
    </ConfirmDialog>
  );
}
