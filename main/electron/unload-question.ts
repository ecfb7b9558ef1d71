// Pure (no electron import): what the main window asks when its page holds unsaved changes and the
// window is closed or reloaded (the page refused to unload: `beforeunload`). window.ts wires it to
// will-prevent-unload, where Electron, unlike a browser, asks nothing and only keeps the window open.

/** The question, as `dialog.showMessageBoxSync` takes it: the in-app dialog's words and buttons. */
export const UNLOAD_QUESTION = {
  type: 'question',
  title: 'Unsaved changes',
  message: 'Discard your unsaved changes?',
  detail: 'Your changes are not saved yet. Keep editing to save them, or discard them and close.',
  buttons: ['Keep editing', 'Discard changes'],
  defaultId: 0,
  cancelId: 0,
  noLink: true,
} as const;

/** True when the answer (the button's index) lets the window close or reload, dropping the changes. */
export function unloadGoesOn(response: number): boolean {
  return UNLOAD_QUESTION.buttons[response] === 'Discard changes';
}
