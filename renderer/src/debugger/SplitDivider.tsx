import type { RefObject } from 'react';
import { SplitDivider as Divider } from '../components/SplitDivider';

/** The narrowest the call detail gets, and the room always left to the list. */
export const DETAIL_MIN = 300;
/** The list's five main columns (time, operation, status, records, error) fit in this. */
export const LIST_MIN = 440;

/**
 * The handle between the call list and the call detail: drag it (or use the arrow keys on it) to give
 * the detail more or less of the width. The list keeps its height whatever the detail's width.
 */
export function SplitDivider({ container, width, onWidth }: { container: RefObject<HTMLElement | null>; width: number | null; onWidth(width: number): void }) {
  const measure = () => container.current?.querySelector<HTMLElement>('[data-testid="api-call-detail"]')?.getBoundingClientRect().width ?? DETAIL_MIN;
  return (
    <Divider
      container={container}
      pane="end"
      width={width}
      measure={measure}
      onWidth={onWidth}
      min={DETAIL_MIN}
      otherMin={LIST_MIN}
      label="Resize the call detail"
      testId="api-call-split"
    />
  );
}
