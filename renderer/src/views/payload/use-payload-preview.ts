import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import type { Payload, Sync, SyncEvent } from '../../../../shared/config/sync';
import type { SluiceApi } from '../../../../shared/ipc/contract';
import { queryKeys, useDebounced, useDismissable, useLastAnswer } from '../../api/queries';
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
 * shown is always the latest question's (the last one stays on screen while the next is asked).
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
  // The last answer stays on screen while the next is asked and when it fails; `answered` says whose it is.
  const shown = useLastAnswer(livePreview.data);
  const answered = livePreview.data !== undefined && !livePreview.isPlaceholderData ? asked : null;
  const previews = useAnswerCount(answered, livePreview.dataUpdatedAt);
  const preview = useMemo(() => (shown ? { key: answered, value: shown } : null), [shown, answered]);
  const fresh = preview?.key === previewKey ? preview.value : null;
  const [previewError, dismissPreviewError] = useDismissable(livePreview.error);
  const run = () => setPreviewRun((n) => n + 1);
  return {
    rows,
    setRows,
    event,
    setEvent,
    previewKey,
    requestPreview,
    preview: preview?.value ?? null,
    fresh,
    previews,
    previewError,
    dismissPreviewError,
    run,
  };
}
