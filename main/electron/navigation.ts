// Pure (no electron import): what the main window does when its page navigates or opens a window.
// window.ts wires these to will-navigate and setWindowOpenHandler.
import { externalLinkToOpen } from './external-links';
import { isAppUrl } from './origin';

export interface NavigationDecision {
  /** Let the window itself go there (only pages of the app). */
  allow: boolean;
  /** Give this URL to the system browser instead (only allowed https links). */
  openExternal?: string;
}

/** will-navigate: stay inside `sluice://app/`; an allowed https link goes to the system browser. */
export function decideNavigation(url: string): NavigationDecision {
  if (isAppUrl(url)) return { allow: true };
  const external = externalLinkToOpen(url);
  return external === undefined ? { allow: false } : { allow: false, openExternal: external };
}

/** window.open / target=_blank: never a new Electron window; an allowed https link goes to the system browser. */
export function decideWindowOpen(url: string): NavigationDecision {
  const external = externalLinkToOpen(url);
  return external === undefined ? { allow: false } : { allow: false, openExternal: external };
}
