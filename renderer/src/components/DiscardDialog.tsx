import { ConfirmDialog } from './ConfirmDialog';
import type { LeaveGuard } from './use-leave-guard';

/** Leaving a draft with changes: Keep editing (focused; Escape) or Discard changes. */
export function DiscardDialog({ title, onKeep, onDiscard }: { title: string; onKeep: () => void; onDiscard: () => void }) {
  return (
    <ConfirmDialog title={title} confirmLabel="Discard changes" cancelLabel="Keep editing" destructive onCancel={onKeep} onConfirm={onDiscard}>
      <p>Your changes are not saved yet. Keep editing to save them, or discard them.</p>
    </ConfirmDialog>
  );
}

/** The question of a draft's `useLeaveGuard`, while it asks. */
export function AskToLeave({ guard, title }: { guard: LeaveGuard; title: string }) {
  return guard.asking ? <DiscardDialog title={title} onKeep={guard.keep} onDiscard={guard.discard} /> : null;
}
