import { useEffect, useRef, useState } from 'react';
import type { Destination } from '../../../shared/config/destination';
import type { InspectRead, InspectTargets, StartPosition } from '../../../shared/config/inspector';
import { useSession } from '../api/context';
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
  const [destinations, setDestinations] = useState<Destination[] | null>(null);
  const [destination, setDestination] = useState('');
  const [targets, setTargets] = useState<InspectTargets | null>(null);
  const [topic, setTopic] = useState('');
  const [parts, setParts] = useState<string[]>([]);
  const [start, setStart] = useState<StartKind>('earliest');
  const [timestamp, setTimestamp] = useState('');
  const [sequence, setSequence] = useState('');
  const [offset, setOffset] = useState('0');
  const [limit, setLimit] = useState(100);
  const [waitSeconds, setWaitSeconds] = useState(0);
  const [read, setRead] = useState<InspectRead | null>(null);
  const [reading, setReading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The latest read's number: an answer to an earlier one (e.g. for the previous destination) is dropped.
  const readNumber = useRef(0);

  useEffect(() => {
    api.listDestinations({}).then((list) => {
      setDestinations(list);
      setDestination((d) => d || list[0]?.name || '');
    }, setError);
  }, [api]);

  useEffect(() => {
    if (!destination) return;
    // An answer for a destination no longer chosen (a slower earlier request) is dropped.
    let current = true;
    api.inspectTargets({ destination }).then(
      (t) => {
        if (!current) return;
        setTargets(t);
        if (t.kind === 'kafka') setTopic(t.defaultTopic ?? t.topics[0]?.topic ?? '');
      },
      (err: unknown) => current && setError(err),
    );
    return () => {
      current = false;
    };
  }, [api, destination]);

  const chooseDestination = (name: string) => {
    readNumber.current++;
    setReading(false);
    setTargets(null);
    setRead(null);
    setParts([]);
    setStart('earliest');
    setError(null);
    setDestination(name);
  };

  const kind = targets?.kind ?? null;
  const choices: string[] =
    targets?.kind === 'kinesis' ? targets.shards.map((s) => s.shardId) : targets?.kind === 'kafka' ? (targets.topics.find((t) => t.topic === topic)?.partitions ?? []).map(String) : [];

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

  const readRecords = async () => {
    const mine = ++readNumber.current;
    setReading(true);
    setError(null);
    try {
      const answer = await api.inspectRead({
        destination,
        ...(kind === 'kinesis' && parts.length ? { shards: parts } : {}),
        ...(kind === 'kafka' ? { topic, ...(parts.length ? { partitions: parts.map(Number) } : {}) } : {}),
        from: kind === 'firehose' ? { at: 'earliest' } : from(),
        limit,
        waitMs: Math.round(waitSeconds * 1000),
      });
      if (mine === readNumber.current) setRead(answer);
    } catch (err) {
      if (mine === readNumber.current) setError(err);
    } finally {
      if (mine === readNumber.current) setReading(false);
    }
  };

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
              <span className="mono" data-testid="inspector-stream">{targets.stream}</span>
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
                <input aria-label="Listen seconds" type="number" min={0} max={20} value={waitSeconds} onChange={(e) => setWaitSeconds(Number(e.target.value))} />
              </label>
            </div>
          </>
        )}
        <div className="row">
          <label className="field">
            <span>Limit</span>
            <input aria-label="Limit" type="number" min={1} max={1000} value={limit} onChange={(e) => setLimit(Number(e.target.value))} />
          </label>
          <button type="button" disabled={!targets || reading} onClick={() => void readRecords()}>
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
