import { useEffect, useRef } from 'react';
import { ErrorBanner } from '../../components/ErrorBanner';

/**
 * The model editor's error, brought into view when it comes: Save and Check the key sit below a long
 * preview, and a refusal shown in the banner above it was out of sight, as if the click did nothing.
 */
export function RevealedError({ error, onDismiss }: { error: unknown; onDismiss(): void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView({ block: 'nearest' });
  }, [error]);
  return (
    <div ref={ref}>
      <ErrorBanner error={error} onDismiss={onDismiss} />
    </div>
  );
}
