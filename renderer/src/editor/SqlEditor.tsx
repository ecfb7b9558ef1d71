import { useEffect, useRef } from 'react';
import { registerSql, SQL } from './sql-language';
import { setEditorSource } from './sql-schema';
import { SHARED_EDITOR_OPTIONS, useEditorTheme } from './editor-base';

const monaco = registerSql();

/**
 * Monaco for a model's SQL: highlighting, and completion of the tables and columns of `source`.
 * The editor owns its text (typing never round-trips through React); `value` is read when it mounts.
 */
export function SqlEditor({
  value,
  source,
  onChange,
  height,
  ariaLabel,
  readOnly = false,
  readOnlyWhy,
}: {
  value: string;
  source: string | null;
  onChange(text: string): void;
  height: number;
  ariaLabel: string;
  /** The text cannot be edited for now (`readOnlyWhy` says why, where the user types). */
  readOnly?: boolean;
  readOnlyWhy?: string;
}) {
  const host = useRef<HTMLDivElement | null>(null);
  const editorRef = useRef<ReturnType<typeof monaco.editor.create> | null>(null);
  const onChangeRef = useRef(onChange);
  const valueRef = useRef(value);
  const themeRef = useEditorTheme();
  useEffect(() => {
    onChangeRef.current = onChange;
  });

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      value: valueRef.current,
      language: SQL,
      theme: themeRef.current,
      ariaLabel,
      ...SHARED_EDITOR_OPTIONS,
      quickSuggestions: { other: true, comments: false, strings: false },
    });
    editorRef.current = editor;
    const changes = editor.onDidChangeModelContent(() => onChangeRef.current(editor.getValue()));
    return () => {
      const model = editor.getModel();
      if (model) setEditorSource(model.uri.toString(), null);
      changes.dispose();
      editor.dispose(); // before its model (as TemplateEditor)
      model?.dispose();
      editorRef.current = null;
    };
  }, [ariaLabel, themeRef]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) setEditorSource(model.uri.toString(), source);
  }, [source, ariaLabel]);

  useEffect(() => {
    editorRef.current?.updateOptions({ readOnly, ...(readOnlyWhy ? { readOnlyMessage: { value: readOnlyWhy } } : {}) });
  }, [readOnly, readOnlyWhy, ariaLabel]);

  return <div ref={host} className="monaco" style={{ height }} data-testid="sql-editor" />;
}
