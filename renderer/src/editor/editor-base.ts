import { useEffect, useRef } from 'react';
import * as monaco from './monaco-core';
import { useMonacoTheme } from './theme';

/** The Monaco options the SQL and template editors share. */
export const SHARED_EDITOR_OPTIONS = {
  minimap: { enabled: false },
  fontSize: 13,
  tabSize: 2,
  scrollBeyondLastLine: false,
  automaticLayout: true,
  wordWrap: 'on',
  // The completion list and hovers may leave the editor's box (it clips them otherwise).
  fixedOverflowWidgets: true,
  // Suggestions come from the language's own vocabulary, never from words in the text.
  wordBasedSuggestions: 'off',
  scrollbar: { alwaysConsumeMouseWheel: false },
} satisfies Parameters<typeof monaco.editor.create>[1];

/** Monaco follows the app's light or dark look; the ref holds the current theme for an editor being created. */
export function useEditorTheme() {
  const theme = useMonacoTheme();
  const themeRef = useRef(theme);
  useEffect(() => {
    themeRef.current = theme;
    monaco.editor.setTheme(theme);
  }, [theme]);
  return themeRef;
}
