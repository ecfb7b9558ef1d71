import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { Payload, Sync, SyncEvent } from '../../../../shared/config/sync';
import type { SluiceApi } from '../../../../shared/ipc/contract';
import { queryKeys, useDebounced, useDismissable, useSettledAnswer } from '../../api/queries';
import type { MessageProps } from './message-props';

export type RowsPick = { mode: 'first'; count: number } | { mode: 'key'; key: string } | { mode: 'random'; count: number };

/** The answers shown so far: a run of the preview shows as one more (the pane's data-previews). */
function useAnswerCount(answered: string | null, updatedAt: number): number {
  const [count, setCount] = useState({ at: 0, previews: 0 });
  if (answered !== null && updatedAt !== count.at) setCount({ at: updatedAt, previews: count.previews + 1 });
  return count.previews;
}

/**
 * The live preview of the payload on real rows, asked once the payload has rested 200 ms; the answer
 * shown is always the latest question's (the last one stays on screen, marked earlier, while the next is
 * asked; none once the next fails).
 */
export function usePayloadPreview(api: SluiceApi, sync: Sync, payload: Payload | null, props: MessageProps, propsReady: boolean) {
  const [rows, setRows] = useState<RowsPick>({ mode: 'first', count: 3 });
  const [event, setEvent] = useState<SyncEvent>('added');
  /** Bumped by Ctrl/Cmd+Enter or the preview's Run button: the same rows (or a new random sample) again. */
  const [previewRun, setPreviewRun] = useState(0);
  const previewKey = JSON.stringify([payload, propsReady ? props : null, rows, event, previewRun]);
  const requestPreview = useCallback(
    (p: Payload, m: MessageProps = props, r: RowsPick = rows, e: SyncEvent = event) =>
      api.previewPayload({
        model: sync.model,
        destination: sync.destination,
        sync: sync.name,
        payload: p,
        partitionKey: m.partitionKey,
        explicitHashKey: m.explicitHashKey,
        kafka: m.kafka,
        rows: r,
        event: e,
      }),
    [api, sync.model, sync.destination, sync.name, props, rows, event],
  );
  const asked = useDebounced(previewKey, 200);
  const askedReady = useMemo(() => {
    const [p, m] = JSON.parse(asked) as unknown[];
    return p !== null && m !== null;
  }, [asked]);
  const livePreview = useQuery({
    queryKey: queryKeys.payloadPreview(sync, asked),
    queryFn: () => {
      const [p, m, r, e] = JSON.parse(asked) as [Payload, MessageProps, RowsPick, SyncEvent];
      return requestPreview(p, m, r, e);
    },
    enabled: askedReady,
    placeholderData: keepPreviousData,
  });
  // The answer of the last question that settled, and whose it is: shown as this payload's only when it is
  // (`fresh`); while the next is asked it stays, marked as an earlier payload's (`earlier`); a failure shows none.
  const answer = livePreview.isPlaceholderData ? undefined : livePreview.data;
  const settled = useSettledAnswer(asked, answer, livePreview.error);
  const answered = answer !== undefined ? asked : null;
  const previews = useAnswerCount(answered, livePreview.dataUpdatedAt);
  const preview = settled?.value ?? null;
  const fresh = settled?.key === previewKey ? preview : null;
  const [previewError, dismissPreviewError] = useDismissable(livePreview.error);
  const run = () => setPreviewRun((n) => n + 1);
  return {
    rows,
    setRows,
    event,
    setEvent,
    previewKey,
    requestPreview,
    preview,
    fresh,
    /** The rows shown are an earlier payload's (or settings'): nothing is to be done with them. */
    earlier: preview !== null && fresh === null,
    previews,
    previewError,
    dismissPreviewError,
    run,
  };
}
