import { useEffect } from 'react';

/** Puts the focus back where it was when a dialog closes. */
export function useRestoreFocus() {
  useEffect(() => {
    const before = document.activeElement;
    return () => {
      if (before instanceof HTMLElement && before.isConnected) before.focus();
    };
  }, []);
}
