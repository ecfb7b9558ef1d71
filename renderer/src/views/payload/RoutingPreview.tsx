import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { RoutingPreview as Preview } from '../../../../shared/routing/routing-preview';
import { useSession } from '../../api/context';
import { queryKeys, useDebounced, useDismissable, useSettledAnswer } from '../../api/queries';
import { ErrorBanner } from '../../components/ErrorBanner';
import type { MessageProps } from './message-props';
import type { RowsPick } from './use-payload-preview';
import { fmt } from '../../../../shared/format/format';
import { TableScroll } from '../../components/TableScroll';
import type { Payload } from '../../../../shared/config/sync';
import { routingSummary } from './routing-summary';

/** The sample's spread over shards, partitions or delivery streams, its warnings, and where each previewed row goes. */
function RoutingResult({ preview }: { preview: Preview }) {
  const total = preview.sample.buckets.reduce((n, b) => n + b.records, 0);
  const max = Math.max(1, ...preview.sample.buckets.map((b) => b.records));
  return (
    <>
      <p className="muted small" data-testid="routing-summary">
        {routingSummary(preview)}
      </p>
      <div className="histogram" data-testid="routing-histogram">
        {preview.sample.buckets.map((b) => {
          const hot = preview.warnings.some((w) => w.bucket === b.id);
          return (
            <div key={b.id} className={`histogram-row ${hot ? 'hot' : ''}`} data-testid="routing-bucket">
              <span className="histogram-label">
                {preview.noun} {b.id}
              </span>
              <span className="histogram-track">
                <span className="histogram-bar" style={{ width: `${(b.records / max) * 100}%` }} />
              </span>
              <span className="histogram-count">
                {fmt.number(b.records)} ({fmt.percent(total ? b.records / total : 0)})
              </span>
            </div>
          );
        })}
      </div>
      {preview.warnings.map((w, i) => (
        <div key={i} className="banner banner-warn" role="alert" data-testid="routing-warning">
          {w.message}
        </div>
      ))}
      <TableScroll label="Rows and where they go">
        <table className="routing-rows">
          <thead>
            <tr>
              <th>key</th>
              <th>{preview.noun}</th>
              <th>partition key / hash</th>
            </tr>
          </thead>
          <tbody>
            {preview.items.map((item) => (
              <tr key={item.key} data-testid="routing-row">
                <td>
                  <div className="record-key" title={item.key}>
                    {item.key}
                  </div>
                </td>
                <td>{item.error ? <span className="danger">{item.error}</span> : item.target}</td>
                <td className="muted small mono">{item.explicitHashKey !== null ? `explicit ${item.explicitHashKey}` : (item.partitionKey ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </>
  );
}

/** How many rows of the model to sample, and at what rate records are sent (the last run's, by default). */
function RoutingControls({
  sample,
  setSample,
  rate,
  setRate,
  lastRate,
}: {
  sample: number;
  setSample: (n: number) => void;
  rate: string;
  setRate: (rate: string) => void;
  lastRate: number | null;
}) {
  // One line, "sample [2000] at [rate] records/s" (the inputs took their label's width, each word on its own line).
  return (
    <div className="row">
      <label className="small">
        sample{' '}
        <input
          aria-label="Sample rows"
          type="number"
          min={0}
          max={100000}
          value={sample}
          onChange={(e) => setSample(Math.max(0, Math.min(100000, Number(e.target.value) || 0)))}
          className="inline-number"
        />
      </label>
      <label className="small">
        at{' '}
        <input
          aria-label="Send rate"
          type="number"
          min={1}
          placeholder={lastRate ? String(lastRate) : 'rate'}
          value={rate}
          onChange={(e) => setRate(e.target.value)}
          className="inline-number"
        />{' '}
        records/s
      </label>
    </div>
  );
}

/** The routing worked out (marked when it is an earlier payload's), the destination's problem, or the error. */
function RoutingAnswer({ error, onDismiss, preview, earlier }: { error: unknown; onDismiss: () => void; preview: Preview | null; earlier: boolean }) {
  if (error !== null) return <ErrorBanner error={error} onDismiss={onDismiss} />;
  if (!preview) return null;
  const marked = earlier ? ' preview-earlier' : '';
  if (preview.problem)
    return (
      <div className={`banner banner-error${marked}`} role="alert">
        {preview.problem}
      </div>
    );
  return (
    <div className={`routing-result${marked}`} data-testid={earlier ? 'routing-earlier' : undefined}>
      <RoutingResult preview={preview} />
    </div>
  );
}

/**
 * Where the previewed rows, and a sample of the whole model, would land: shard, partition or delivery stream,
 * for the payload and properties being edited. `missing`: what they lack first (nothing is asked until then).
 */
export function RoutingPreview({
  sync,
  payload,
  props,
  missing,
  rows,
}: {
  sync: string;
  payload: Payload | null;
  props: MessageProps;
  missing: string | null;
  rows: RowsPick;
}) {
  const { api } = useSession();
  const [sample, setSample] = useState(2000);
  const [rate, setRate] = useState('');
  // Asked once the settings have rested 300 ms; the answer shown is always the latest question's. The key
  // holds all the answer depends on: the payload (a row whose template fails is rejected), the properties.
  const editing = JSON.stringify({ payload, props, rows, sample, rate });
  const request = useDebounced(editing, 300);
  const asked = JSON.parse(request) as { payload: Payload | null; props: MessageProps; rows: RowsPick; sample: number; rate: string };
  const ready = missing === null && asked.payload !== null;
  const routing = useQuery({
    queryKey: queryKeys.routing(sync, request),
    queryFn: () => {
      const r = asked;
      const ratePerSecond = Number(r.rate) > 0 ? Number(r.rate) : undefined;
      return api.previewRouting({
        sync,
        ...(r.payload ? { payload: r.payload } : {}),
        partitionKey: r.props.partitionKey,
        explicitHashKey: r.props.explicitHashKey ?? null,
        kafka: r.props.kafka,
        firehose: r.props.firehose ?? null,
        rows: r.rows,
        sample: r.sample,
        ratePerSecond,
      });
    },
    enabled: ready,
    placeholderData: keepPreviousData,
  });
  // The last routing stays on screen, marked an earlier payload's, while the next is worked out; an error shows none.
  const settled = useSettledAnswer(request, routing.isPlaceholderData ? undefined : routing.data, routing.error);
  const preview: Preview | null = settled?.value ?? null;
  const earlier = preview !== null && settled?.key !== editing;
  const loading = missing === null && routing.isFetching;
  const [error, dismissError] = useDismissable(routing.error);

  return (
    <section className="routing-preview" aria-label="Routing preview" aria-busy={loading}>
      <div className="row spread">
        <h3>Routing preview</h3>
        {loading && (
          <span className="muted small" role="status" data-testid="routing-loading">
            Working out where records land…
          </span>
        )}
        <RoutingControls sample={sample} setSample={setSample} rate={rate} setRate={setRate} lastRate={preview?.ratePerSecond ?? null} />
      </div>
      {missing !== null && (
        <p className="muted" data-testid="routing-missing">
          Where records land shows once the payload and its message properties are complete.
        </p>
      )}
      {missing === null && <RoutingAnswer error={error} onDismiss={dismissError} preview={preview} earlier={earlier} />}
    </section>
  );
}
