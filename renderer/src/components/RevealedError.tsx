import { useEffect, useRef } from 'react';
import { ErrorBanner } from './ErrorBanner';

/**
 * An error banner brought into view when the error comes: a form's buttons can sit below a long preview
 * or review (the model editor's Save and Check the key, the destination wizard's Save), and a refusal
 * shown in the banner above them was out of sight, as if the click did nothing.
 */
export function RevealedError({ error, onDismiss }: { error: unknown; onDismiss(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // (A block: Chromium's scrollIntoView answers a promise, which React would take for a cleanup.)
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);
  return (
    <div ref={ref}>
      <ErrorBanner error={error} onDismiss={onDismiss} />
    </div>
  );
}
