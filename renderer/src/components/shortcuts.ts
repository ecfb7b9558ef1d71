// Keyboard shortcuts that act on the screen's own buttons: a button marked `data-shortcut="save"` or
// `data-shortcut="run"` is what Ctrl/Cmd+S or Ctrl/Cmd+Enter presses — the one nearest the focus (in
// the smallest part of the page around it that has one), or else the page's only one. So a shortcut
// does exactly what its button does, and does nothing while that button is disabled.

export type ShortcutAction = 'save' | 'run';

export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: 'Ctrl/⌘ + S', what: 'Save (the payload, the form you are in)' },
  { keys: 'Ctrl/⌘ + Enter', what: 'Run the preview or the test (payload preview, model preview, connection test)' },
  { keys: 'Ctrl/⌘ + K', what: 'Go to a sync, model, destination or source' },
  { keys: '?', what: 'This list of shortcuts' },
  { keys: 'Esc', what: 'Close the palette or this list' },
];

function visible(el: HTMLElement): boolean {
  return el.getClientRects().length > 0 && !el.closest('[hidden]');
}

/** The button that `action` presses from `from` (the focused element), if any. */
export function shortcutTarget(action: ShortcutAction, from: Element | null): HTMLButtonElement | null {
  const selector = `button[data-shortcut="${action}"]`;
  for (let node = from; node && node !== document.documentElement; node = node.parentElement) {
    const found = [...node.querySelectorAll<HTMLButtonElement>(selector)].filter(visible);
    if (found.length > 0) return found[0]!;
  }
  const all = [...document.querySelectorAll<HTMLButtonElement>(selector)].filter(visible);
  return all.length === 1 ? all[0]! : null;
}

/**
 * Presses the button for `action` near `from`. Save in a form without a marked button submits the
 * form. Answers whether something was pressed.
 */
export function triggerShortcut(action: ShortcutAction, from: Element | null): boolean {
  const button = shortcutTarget(action, from);
  if (button) {
    if (!button.disabled) button.click();
    return true;
  }
  const form = from?.closest('form');
  if (action === 'save' && form) {
    form.requestSubmit();
    return true;
  }
  return false;
}

/** The user is typing: in a text field, a list, or an editor (Monaco types into a textarea). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  return target.closest('.monaco-editor') !== null;
}

/** Ctrl on Linux and Windows, Cmd on macOS (either is taken on both). */
export function modKey(e: KeyboardEvent | { ctrlKey: boolean; metaKey: boolean }): boolean {
  return e.ctrlKey || e.metaKey;
}
