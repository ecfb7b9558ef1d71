import { useEffect, useRef } from 'react';
import { movesOn } from './notice-moves-on';

/**
 * A notice of what was just done ("Saved "orders"."): it goes when the user moves on — the next edit
 * (typing, choosing) or action (a button, a link, a tab) anywhere but in the notice — or by its ×.
 * Leaving the page unmounts it too.
 */
export function Notice({ text, onDismiss }: { text: string; onDismiss: () => void }) {
  const box = useRef<HTMLDivElement | null>(null);
  const dismiss = useRef(onDismiss);
  useEffect(() => {
    dismiss.current = onDismiss;
  });
  useEffect(() => {
    // Listened for once the notice is on screen: the click that led to it has already been handled. The
    // dismissal waits for the event to be handled first (an edit dismissed mid-event was lost: React put the
    // input's value back), and is dropped if that event left another notice (`alive`).
    let alive = true;
    const onEvent = (e: Event) => {
      if (!movesOn(e.type, e.target, (t) => t instanceof Node && box.current?.contains(t) === true)) return;
      setTimeout(() => {
        if (alive) dismiss.current();
      }, 0);
    };
    const types = ['click', 'input', 'change'] as const;
    for (const t of types) document.addEventListener(t, onEvent, true);
    return () => {
      alive = false;
      for (const t of types) document.removeEventListener(t, onEvent, true);
    };
  }, [text]);
  return (
    <div className="banner banner-ok notice" role="status" ref={box} data-testid="notice">
      <span>{text}</span>
      <button type="button" className="ghost" aria-label="Dismiss" onClick={onDismiss}>
        ×
      </button>
    </div>
  );
}
