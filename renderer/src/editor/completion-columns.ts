// The model's columns, for the template editor's `row.` completions: set by the payload editor when
// the model is known, without loading Monaco (a lazily loaded chunk: editor/lazy.tsx).
type CompletionColumn = { name: string; type: string };

let columns: readonly CompletionColumn[] = [];

export function setCompletionColumns(next: readonly CompletionColumn[]): void {
  columns = next;
}

export function completionColumns(): readonly CompletionColumn[] {
  return columns;
}
