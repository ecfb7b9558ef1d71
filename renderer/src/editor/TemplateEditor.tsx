import { useEffect, useImperativeHandle, useRef, type RefObject } from 'react';
import type { TemplateDiagnostic } from '../../../shared/payload/template-diagnostics';
import { LIQUID_JSON, registerLiquidJson } from './monaco-setup';
import { SHARED_EDITOR_OPTIONS, useEditorTheme } from './editor-base';
import type { TemplateEditorHandle } from './editor-handle';

const monaco = registerLiquidJson();

export interface TemplateEditorProps {
  /** The text to start with; later values are applied only when `revision` changes. */
  value: string;
  /**
   * Bumped by the owner when the text changes from outside (Revert, Discard, a mapping turned into a
   * template): the editor then takes `value`, as one undoable edit. Typing never round-trips through it.
   */
  revision: number;
  onChange: (text: string) => void;
  diagnostics: readonly TemplateDiagnostic[];
  height: number;
  ariaLabel: string;
  /** Filled with what the owner may ask of the editor (reveal a problem, replace the text). */
  handle?: RefObject<TemplateEditorHandle | null>;
}

/**
 * Monaco for a Liquid-in-JSON template. The editor owns its text: every keystroke and paste stays in
 * its model, whatever the speed, and goes up through onChange; the owner's state never writes back
 * over it (a controlled value would replace newer text with an older render's and move the cursor).
 */
export function TemplateEditor({ value, revision, onChange, diagnostics, height, ariaLabel, handle }: TemplateEditorProps) {
  const host = useRef<HTMLDivElement | null>(null);
  const editorRef = useRef<ReturnType<typeof monaco.editor.create> | null>(null);
  const onChangeRef = useRef(onChange);
  const valueRef = useRef(value);
  const themeRef = useEditorTheme();

  useEffect(() => {
    onChangeRef.current = onChange;
    valueRef.current = value;
  });

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      value: valueRef.current,
      language: LIQUID_JSON,
      theme: themeRef.current,
      ariaLabel,
      ...SHARED_EDITOR_OPTIONS,
      wrappingIndent: 'indent',
      // What is typed is what is there: no closing brace or quote slipped in to be typed over later
      // (whether a typed } or " replaces one depends on how fast the keys come). Lines still indent.
      autoClosingBrackets: 'never',
      autoClosingQuotes: 'never',
      renderLineHighlight: 'line',
    });
    editorRef.current = editor;
    const changes = editor.onDidChangeModelContent(() => onChangeRef.current(editor.getValue()));
    return () => {
      // The editor first, then its model: the other way round, work the editor still had queued for a
      // change just typed ran on a disposed model ("Model is disposed!", on leaving the Payload tab).
      const model = editor.getModel();
      changes.dispose();
      editor.dispose();
      model?.dispose();
      editorRef.current = null;
    };
  }, [ariaLabel, themeRef]);

  // Text from outside: one edit over the whole text, so Undo brings the previous text back.
  useEffect(() => {
    const editor = editorRef.current;
    if (editor) replaceText(editor, valueRef.current, true);
  }, [revision]);

  useTemplateHandle(handle, editorRef);
  useDiagnosticMarkers(editorRef, diagnostics);

  return <div ref={host} style={{ height }} />;
}

/** One edit over the whole text, between undo stops: Undo brings the previous text back. */
function replaceText(editor: ReturnType<typeof monaco.editor.create>, text: string, cursorToStart: boolean): void {
  const model = editor.getModel();
  if (!model || model.getValue() === text) return;
  const position = editor.getPosition();
  editor.pushUndoStop();
  editor.executeEdits('sluice', [{ range: model.getFullModelRange(), text, forceMoveMarkers: true }]);
  editor.pushUndoStop();
  if (cursorToStart || !position) editor.setPosition({ lineNumber: 1, column: 1 });
  else editor.setPosition(model.validatePosition(position));
}

type Editor = ReturnType<typeof monaco.editor.create>;

/** What the owner may ask of the editor: reveal a problem, replace the text, focus. */
function useTemplateHandle(handle: RefObject<TemplateEditorHandle | null> | undefined, editorRef: RefObject<Editor | null>) {
  useImperativeHandle(
    handle,
    (): TemplateEditorHandle => ({
      reveal(d) {
        const editor = editorRef.current;
        if (!editor) return;
        editor.setSelection({ startLineNumber: d.line, startColumn: d.column, endLineNumber: d.endLine, endColumn: d.endColumn });
        editor.revealLineInCenterIfOutsideViewport(d.line);
        editor.focus();
      },
      replaceText(text) {
        if (editorRef.current) replaceText(editorRef.current, text, false);
      },
      focus() {
        editorRef.current?.focus();
      },
    }),
    [editorRef],
  );
}

/** The template's problems as Monaco markers (squiggles, and the hover's message). */
function useDiagnosticMarkers(editorRef: RefObject<Editor | null>, diagnostics: readonly TemplateDiagnostic[]) {
  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (!model) return;
    monaco.editor.setModelMarkers(
      model,
      'sluice',
      diagnostics.map((d) => ({
        severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
        message: d.message,
        startLineNumber: d.line,
        startColumn: d.column,
        endLineNumber: d.endLine,
        endColumn: d.endColumn,
      })),
    );
  }, [editorRef, diagnostics]);
}
