import { lazy, Suspense, type ComponentProps } from 'react';
import './editor.css';

// Monaco (about 4 MB of script) is loaded when an editor first shows, not with the app: the views
// import the editors from here, and the template editor's handle type from editor-handle.ts.

export type { TemplateEditorHandle } from './editor-handle';

const TemplateEditorChunk = lazy(() => import('./TemplateEditor').then((m) => ({ default: m.TemplateEditor })));
const SqlEditorChunk = lazy(() => import('./SqlEditor').then((m) => ({ default: m.SqlEditor })));

/** The editor's box while Monaco loads: the same size, so nothing jumps when it arrives. */
function Loading({ height }: { height: number }) {
  return (
    <div className="monaco-loading muted small" style={{ height }} role="status">
      Loading the editor…
    </div>
  );
}

export function TemplateEditor(props: ComponentProps<typeof TemplateEditorChunk>) {
  return (
    <Suspense fallback={<Loading height={props.height} />}>
      <TemplateEditorChunk {...props} />
    </Suspense>
  );
}

export function SqlEditor(props: ComponentProps<typeof SqlEditorChunk>) {
  return (
    <Suspense fallback={<Loading height={props.height} />}>
      <SqlEditorChunk {...props} />
    </Suspense>
  );
}
