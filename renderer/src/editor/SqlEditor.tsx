import { useEffect, useRef } from 'react';
import { registerSql, setEditorSource, SQL } from './sql-language';
import { useMonacoTheme } from './theme';

const monaco = registerSql();

/**
 * Monaco for a model's SQL: highlighting, and completion of the tables and columns of `source`.
 * The editor owns its text (typing never round-trips through React); `value` is read when it mounts.
 */
export function SqlEditor({ value, source, onChange, height, ariaLabel }: { value: string; source: string | null; onChange(text: string): void; height: number; ariaLabel: string }) {
  const host = useRef<HTMLDivElement | null>(null);
  const editorRef = useRef<ReturnType<typeof monaco.editor.create> | null>(null);
  const onChangeRef = useRef(onChange);
  const valueRef = useRef(value);
  const theme = useMonacoTheme();
  const themeRef = useRef(theme);
  useEffect(() => {
    onChangeRef.current = onChange;
  });

  useEffect(() => {
    const editor = monaco.editor.create(host.current!, {
      value: valueRef.current,
      language: SQL,
      theme: themeRef.current,
      ariaLabel,
      minimap: { enabled: false },
      fontSize: 13,
      tabSize: 2,
      scrollBeyondLastLine: false,
      automaticLayout: true,
      wordWrap: 'on',
      fixedOverflowWidgets: true,
      wordBasedSuggestions: 'off',
      quickSuggestions: { other: true, comments: false, strings: false },
      scrollbar: { alwaysConsumeMouseWheel: false },
    });
    editorRef.current = editor;
    const changes = editor.onDidChangeModelContent(() => onChangeRef.current(editor.getValue()));
    return () => {
      const model = editor.getModel();
      if (model) setEditorSource(model.uri.toString(), null);
      changes.dispose();
      model?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
  }, [ariaLabel]);

  useEffect(() => {
    const model = editorRef.current?.getModel();
    if (model) setEditorSource(model.uri.toString(), source);
  }, [source, ariaLabel]);

  useEffect(() => {
    themeRef.current = theme;
    monaco.editor.setTheme(theme);
  }, [theme]);

  return <div ref={host} className="monaco" style={{ height }} data-testid="sql-editor" />;
}
