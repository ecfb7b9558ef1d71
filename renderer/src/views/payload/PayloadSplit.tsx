import { useRef, useState, type ReactNode } from 'react';
import { SplitDivider } from '../../components/SplitDivider';

const EDITOR_MIN = 320;
const PREVIEW_MIN = 300;
const SPLIT_KEY = 'sluice.payloadEditor.split';
/** The divider's column and the gaps beside it. */
const SPLIT_GUTTER = 20;

function savedShare(): number | null {
  const saved = Number(window.localStorage.getItem(SPLIT_KEY));
  return saved > 0 && saved < 1 ? saved : null;
}

/** The editor | preview split: the editor's share of the width, set by the divider and remembered in this browser. */
export function PayloadSplit({ editor, preview }: { editor: ReactNode; preview: ReactNode }) {
  const splitBox = useRef<HTMLDivElement | null>(null);
  const [share, setShare] = useState(savedShare);
  /** The width last set by the divider (px), for its aria-valuenow. */
  const [editorPx, setEditorPx] = useState<number | null>(null);
  const resizeEditor = (px: number) => {
    const room = Math.max(1, (splitBox.current?.getBoundingClientRect().width ?? 0) - SPLIT_GUTTER);
    // Each side keeps its least width; where there is no room for both, they stay half and half.
    const lo = Math.min(EDITOR_MIN, room / 2);
    const hi = Math.max(room - PREVIEW_MIN, room / 2);
    const next = Math.min(hi, Math.max(lo, px)) / room;
    setShare(next);
    setEditorPx(px);
    window.localStorage.setItem(SPLIT_KEY, next.toFixed(4));
  };
  const measureEditor = () => splitBox.current?.querySelector('[data-testid="editor-pane"]')?.getBoundingClientRect().width ?? EDITOR_MIN;
  return (
    <div
      className="editor-split payload-split"
      ref={splitBox}
      style={
        share === null
          ? undefined
          : { gridTemplateColumns: `minmax(min(${EDITOR_MIN}px, 45%), ${share}fr) 12px minmax(min(${PREVIEW_MIN}px, 45%), ${1 - share}fr)` }
      }
    >
      {editor}
      <SplitDivider
        container={splitBox}
        pane="start"
        width={editorPx}
        measure={measureEditor}
        onWidth={resizeEditor}
        min={EDITOR_MIN}
        otherMin={PREVIEW_MIN}
        label="Resize the editor and the preview"
        testId="payload-split"
      />
      {preview}
    </div>
  );
}
