// Monaco's own SQL grammar (its languages/definitions ship without declarations for the grammar module).
declare module 'monaco-editor/esm/vs/languages/definitions/sql/sql.js' {
  import type { languages } from 'monaco-editor/esm/vs/editor/editor.api';
  export const conf: languages.LanguageConfiguration;
  export const language: languages.IMonarchLanguage;
}
