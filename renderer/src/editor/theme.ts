import { useSyncExternalStore } from 'react';

// The app's theme is `data-theme` on <html> (light, dark, or system: the OS's preference). Editors
// follow it: Monaco's own themes, switched when either changes.
const DARK = '(prefers-color-scheme: dark)';

function isDark(): boolean {
  const theme = document.documentElement.dataset.theme;
  if (theme === 'dark') return true;
  if (theme === 'light') return false;
  return window.matchMedia(DARK).matches;
}

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  const media = window.matchMedia(DARK);
  media.addEventListener('change', onChange);
  return () => {
    observer.disconnect();
    media.removeEventListener('change', onChange);
  };
}

/** Monaco's theme for the app's current light or dark look. */
export function useMonacoTheme(): 'vs' | 'vs-dark' {
  return useSyncExternalStore(subscribe, () => (isDark() ? 'vs-dark' : 'vs'));
}
