import type { TemplateDiagnostic } from '../../../shared/payload/template-diagnostics';

/** What the payload editor asks of its template editor. */
export interface TemplateEditorHandle {
  /** Selects a diagnostic's text and scrolls to it. */
  reveal(d: TemplateDiagnostic): void;
  /** Replaces the text, as one undoable edit (the editor keeps its undo history). */
  replaceText(text: string): void;
  focus(): void;
}
