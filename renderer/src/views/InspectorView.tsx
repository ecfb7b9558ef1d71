import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { InspectReadRequest, StartPosition } from '../../../shared/config/inspector';
import { useSession } from '../api/context';
import { queryKeys, useDestinations, useLastAnswer } from '../api/queries';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { ReadBackPanel } from '../inspector/ReadBackPanel';
import { RecordsTable } from '../inspector/RecordsTable';
import { fmt } from '../../../shared/format/format';
import { TableScroll } from '../components/TableScroll';

type StartKind = StartPosition['at'];

/** The `ledger` parameter of `#/inspector?ledger=ID`. */
function ledgerFromHash(): number | null {
  const query = window.location.hash.split('?')[1] ?? '';
  const id = Number(new URLSearchParams(query).get('ledger'));
  return Number.isInteger(id) && id > 0 ? id : null;
}

function useLedgerParam(): [number | null, () => void] {
  const [ledger, setLedger] = useState<number | null>(ledgerFromHash);
  useEffect(() => {
    const onHash = () => setLedger(ledgerFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return [ledger, () => (window.location.hash = '/inspector')];
}

const START_LABELS: Record<'kinesis' | 'kafka', [StartKind, string][]> = {
  kinesis: [
    ['earliest', 'TRIM_HORIZON (oldest)'],
    ['latest', 'LATEST (new records only)'],
    ['timestamp', 'AT_TIMESTAMP'],
    ['sequence', 'AT_SEQUENCE_NUMBER'],
  ],
  kafka: [
    ['earliest', 'Beginning'],
    ['latest', 'End (new records only)'],
    ['offset', 'Offset'],
    ['timestamp', 'Timestamp'],
  ],
};

export function InspectorView() {
  const { api } = useSession();
  const [ledger, closeLedger] = useLedgerParam();
  const destinationsQuery = useDestinations();
  const destinations = destinationsQuery.data ?? null;
  const [destination, setDestination] = useState('');
  // The first destination until one is chosen (once: a list that changes later does not move the choice).
  const first = destinations?.[0]?.name;
  if (destination === '' && first) setDestination(first);
  const targetsQuery = useQuery({
    queryKey: queryKeys.inspectTargets(destination),
    queryFn: () => api.inspectTargets({ destination }),
    enabled: destination !== '',
  });
  const targets = targetsQuery.data ?? null;
  // The topic picked; until then the destination's own topic, else its first.
  const [pickedTopic, setTopic] = useState<string | null>(null);
  const topic = pickedTopic ?? (targets?.kind === 'kafka' ? (targets.defaultTopic ?? targets.topics[0]?.topic ?? '') : '');
  const [parts, setParts] = useState<string[]>([]);
  const [start, setStart] = useState<StartKind>('earliest');
  const [timestamp, setTimestamp] = useState('');
  const [sequence, setSequence] = useState('');
  const [offset, setOffset] = useState('0');
  const [limit, setLimit] = useState(100);
  const [waitSeconds, setWaitSeconds] = useState(0);
  // Only the latest read is shown: a new read, or another destination, leaves an earlier answer unseen.
  const reader = useMutation({ mutationFn: (request: InspectReadRequest) => api.inspectRead(request) });
  // The last read stays on screen while the next one runs (a wait included), and under its error.
  const read = useLastAnswer(reader.data, destination) ?? null;
  const reading = reader.isPending;
  const error = reader.error ?? targetsQuery.error ?? destinationsQuery.error;

  const chooseDestination = (name: string) => {
    reader.reset();
    setTopic(null);
    setParts([]);
    setStart('earliest');
    setDestination(name);
  };

  const kind = targets?.kind ?? null;
  const choices: string[] =
    targets?.kind === 'kinesis'
      ? targets.shards.map((s) => s.shardId)
      : targets?.kind === 'kafka'
        ? (targets.topics.find((t) => t.topic === topic)?.partitions ?? []).map(String)
        : [];

  const from = (): StartPosition => {
    switch (start) {
      case 'timestamp':
        return { at: 'timestamp', timestamp: timestamp ? new Date(timestamp).toISOString() : '' };
      case 'sequence':
        return { at: 'sequence', sequenceNumber: sequence.trim() };
      case 'offset':
        return { at: 'offset', offset: offset.trim() };
      default:
        return { at: start };
    }
  };

  const readRecords = () =>
    reader.mutate({
      destination,
      ...(kind === 'kinesis' && parts.length ? { shards: parts } : {}),
      ...(kind === 'kafka' ? { topic, ...(parts.length ? { partitions: parts.map(Number) } : {}) } : {}),
      from: kind === 'firehose' ? { at: 'earliest' } : from(),
      limit,
      waitMs: Math.round(waitSeconds * 1000),
    });

  if (destinations && destinations.length === 0 && ledger === null) {
    return (
      <EmptyState title="Nothing to inspect yet">
        <p>Add a destination, then read records back from its Kinesis stream or Kafka topic and compare what was sent with what arrived.</p>
      </EmptyState>
    );
  }

  const toggle = (p: string) => setParts((ps) => (ps.includes(p) ? ps.filter((x) => x !== p) : [...ps, p]));

  return (
    <div className="page" data-testid="inspector">
      <h1>Inspector</h1>
      {ledger !== null && <ReadBackPanel key={ledger} ledgerId={ledger} onClose={closeLedger} />}
      <section className="card" aria-label="Read records">
        <div className="row">
          <label className="field">
            <span>Destination</span>
            <select aria-label="Destination" value={destination} onChange={(e) => chooseDestination(e.target.value)}>
              {(destinations ?? []).map((d) => (
                <option key={d.name} value={d.name}>
                  {d.name} ({d.kind})
                </option>
              ))}
            </select>
          </label>
          {targets?.kind === 'kinesis' && (
            <div className="field">
              <span>Stream</span>
              <span className="mono" data-testid="inspector-stream">
                {targets.stream}
              </span>
            </div>
          )}
          {targets?.kind === 'kafka' && (
            <label className="field">
              <span>Topic</span>
              <select
                aria-label="Topic"
                value={topic}
                onChange={(e) => {
                  setTopic(e.target.value);
                  setParts([]);
                }}
              >
                {targets.topics.map((t) => (
                  <option key={t.topic} value={t.topic}>
                    {t.topic}
                  </option>
                ))}
              </select>
            </label>
          )}
          {targets?.kind === 'firehose' && (
            <div className="field">
              <span>Delivery stream</span>
              <span className="mono">{targets.deliveryStream}</span>
            </div>
          )}
        </div>
        {(kind === 'kinesis' || kind === 'kafka') && (
          <>
            <fieldset className="row" aria-label={kind === 'kinesis' ? 'Shards' : 'Partitions'}>
              <legend>{kind === 'kinesis' ? 'Shards' : 'Partitions'} (none checked: all; one reader each)</legend>
              {choices.map((p) => (
                <label key={p} className="check">
                  <input type="checkbox" checked={parts.includes(p)} onChange={() => toggle(p)} />
                  <span className="mono">{p}</span>
                </label>
              ))}
            </fieldset>
            <div className="row">
              <label className="field">
                <span>Start at</span>
                <select aria-label="Start at" value={start} onChange={(e) => setStart(e.target.value as StartKind)}>
                  {START_LABELS[kind].map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              </label>
              {start === 'timestamp' && (
                <label className="field">
                  <span>Timestamp (your time zone)</span>
                  <input aria-label="Timestamp" type="datetime-local" step="1" value={timestamp} onChange={(e) => setTimestamp(e.target.value)} />
                </label>
              )}
              {start === 'sequence' && (
                <label className="field">
                  <span>Sequence number (check its shard)</span>
                  <input aria-label="Sequence number" className="mono" value={sequence} onChange={(e) => setSequence(e.target.value)} />
                </label>
              )}
              {start === 'offset' && (
                <label className="field">
                  <span>Offset (in each partition)</span>
                  <input aria-label="Offset" className="mono" inputMode="numeric" value={offset} onChange={(e) => setOffset(e.target.value)} />
                </label>
              )}
              <label className="field">
                <span>Listen for new records (s)</span>
                <input
                  aria-label="Listen seconds"
                  type="number"
                  min={0}
                  max={20}
                  value={waitSeconds}
                  onChange={(e) => setWaitSeconds(Number(e.target.value))}
                />
              </label>
            </div>
          </>
        )}
        <div className="row">
          <label className="field">
            <span>Limit</span>
            <input aria-label="Limit" type="number" min={1} max={1000} value={limit} onChange={(e) => setLimit(Number(e.target.value))} />
          </label>
          <button type="button" disabled={!targets || reading} onClick={readRecords}>
            {reading ? 'Reading…' : kind === 'firehose' ? 'Show sent records' : 'Read records'}
          </button>
        </div>
      </section>
      {error !== null && <ErrorBanner error={error} />}
      {read && (
        <section className="card" aria-label="Records read">
          {read.note && <p className="banner banner-warn">{read.note}</p>}
          <p className="muted" data-testid="inspector-summary">
            {fmt.count(read.records.length, 'record')} from <span className="mono">{read.target}</span>
            {read.readers.length > 0 && ` — ${read.readers.map((r) => `${r.part}: ${fmt.number(r.read)} (${r.stopped})`).join(', ')}`}
          </p>
          <TableScroll label="Records read">
            <RecordsTable records={read.records} />
          </TableScroll>
        </section>
      )}
    </div>
  );
}
