import { useCallback, useEffect, useState } from 'react';
import { captureModelDefinitions, type CaptureFrom, type CaptureStatus } from '../../../shared/config/capture';
import type { Destination } from '../../../shared/config/destination';
import { fmt } from '../../../shared/format/format';
import { useSession } from '../api/context';
import { useDestinations, useDismissable } from '../api/queries';
import { EmptyState } from '../components/EmptyState';
import { ErrorBanner } from '../components/ErrorBanner';
import { TableScroll } from '../components/TableScroll';
import { Time } from '../components/Time';
import { captureAsksTopic, isReadable } from '../destinations/kinds/registry';

const BADGE: Record<CaptureStatus['state'], string> = {
  running: 'badge badge-running',
  stopping: 'badge badge-running',
  done: 'badge badge-succeeded',
  stopped: 'badge',
  failed: 'badge badge-failed',
};
const STATE_WORDS: Record<CaptureStatus['state'], string> = {
  running: 'capturing',
  stopping: 'stopping…',
  done: 'caught up',
  stopped: 'stopped',
  failed: 'failed',
};

/** A model name from the file's name: `/x/orders.sqlite` → `orders capture`. */
function modelNameFor(file: string): string {
  const base =
    file
      .split(/[\\/]/)
      .pop()
      ?.replace(/\.[^.]+$/, '') ?? 'capture';
  const name = `${base} capture`.replace(/[^A-Za-z0-9 ._-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return name.slice(0, 100) || 'capture';
}

function AddAsModel({ capture }: { capture: CaptureStatus }) {
  const { api } = useSession();
  const [name, setName] = useState(() => modelNameFor(capture.file));
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const add = async () => {
    setBusy(true);
    setError(null);
    try {
      const defs = captureModelDefinitions(capture.file, name.trim());
      const sources = await api.listSources({});
      if (!sources.some((s) => s.name === defs.source.name)) await api.saveSource({ source: defs.source, mode: 'create' });
      const saved = await api.saveModel({ model: defs.model, mode: 'create' });
      setCreated(saved.model.name);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  if (created) {
    return (
      <p className="muted" data-testid="capture-model-created">
        Model <strong>{created}</strong> reads this file. <a href="#/models">Open Models</a> to preview it or send it with a sync.
      </p>
    );
  }
  return (
    <div className="row">
      <label className="field">
        <span>Model name</span>
        <input aria-label="Model name" value={name} onChange={(e) => setName(e.target.value)} />
      </label>
      <button type="button" className="ghost" disabled={busy || name.trim() === ''} onClick={() => void add()}>
        {busy ? 'Adding…' : 'Add as model'}
      </button>
      {error !== null && <ErrorBanner error={error} />}
    </div>
  );
}

function CaptureCard({ capture, onStop }: { capture: CaptureStatus; onStop: (id: number) => void }) {
  const live = capture.state === 'running' || capture.state === 'stopping';
  const noun = capture.parts.some((p) => p.part.startsWith('shardId-')) ? 'Shard' : 'Partition';
  return (
    <section className="card" aria-label={`Capture ${capture.id}`} data-testid="capture-card">
      <div className="row">
        <span className={BADGE[capture.state]} data-testid="capture-state">
          {STATE_WORDS[capture.state]}
        </span>
        <span>
          <span className="mono">{capture.target}</span> ({capture.destination}) → <span className="mono">{capture.file}</span>
        </span>
        {live && (
          <button type="button" disabled={capture.state === 'stopping'} onClick={() => onStop(capture.id)}>
            Stop
          </button>
        )}
      </div>
      <p className="muted" data-testid="capture-total">
        {fmt.count(capture.captured, 'record')} captured · {capture.mode === 'follow' ? 'following new records' : 'until caught up'} · started{' '}
        <Time iso={capture.startedAt} clock />
        {capture.endedAt && (
          <>
            {' '}
            · ended <Time iso={capture.endedAt} clock />
          </>
        )}
      </p>
      {capture.error && <ErrorBanner error={capture.error} />}
      <TableScroll label="Readers">
        <table className="table">
          <thead>
            <tr>
              <th>{noun}</th>
              <th>State</th>
              <th className="num">Captured</th>
              <th>Last sequence / offset</th>
            </tr>
          </thead>
          <tbody>
            {capture.parts.map((p) => (
              <tr key={p.part} data-testid="capture-part">
                <td className="mono nowrap">{p.part}</td>
                <td className="nowrap">{p.state.replace('-', ' ')}</td>
                <td className="num">{fmt.number(p.captured)}</td>
                <td className="mono">{p.position ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <AddAsModel capture={capture} />
    </section>
  );
}

/** The app's captures, asked again every 500 ms while one runs or stops. */
function useCaptures(setError: (error: unknown) => void) {
  const { api } = useSession();
  const [captures, setCaptures] = useState<CaptureStatus[]>([]);
  const refresh = useCallback(() => api.listCaptures({}).then(setCaptures, setError), [api, setError]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const anyLive = captures.some((c) => c.state === 'running' || c.state === 'stopping');
  useEffect(() => {
    if (!anyLive) return;
    const timer = setInterval(() => void refresh(), 500);
    return () => clearInterval(timer);
  }, [anyLive, refresh]);

  const stop = (id: number) => {
    setCaptures((cs) => cs.map((c) => (c.id === id && c.state === 'running' ? { ...c, state: 'stopping' } : c)));
    api.stopCapture({ id }).then(() => refresh(), setError);
  };
  return { captures, refresh, stop };
}

/** The topic to capture, for a destination that has none of its own. */
function TopicField({ topic, setTopic }: { topic: string; setTopic(topic: string): void }) {
  return (
    <label className="field">
      <span>Topic (the destination has none of its own)</span>
      <input aria-label="Topic" className="mono" placeholder="orders" value={topic} onChange={(e) => setTopic(e.target.value)} />
    </label>
  );
}

/** A new capture: which destination (those that can be read back), into which file, from where, following or not. */
function NewCapture({ readable, onStarted, setError }: { readable: Destination[]; onStarted(): Promise<unknown>; setError(error: unknown): void }) {
  const { api } = useSession();
  const [destination, setDestination] = useState('');
  // The first readable destination until one is chosen (once: a list that changes later does not move it).
  const first = readable[0]?.name;
  if (destination === '' && first) setDestination(first);
  const [file, setFile] = useState('');
  // A Kafka destination whose syncs choose their topics has none of its own: the user names the topic to capture.
  const chosen = readable.find((d) => d.name === destination);
  const asksTopic = chosen !== undefined && captureAsksTopic(chosen);
  const [topic, setTopic] = useState('');
  const [from, setFrom] = useState<CaptureFrom>('trim-horizon');
  const [follow, setFollow] = useState(true);
  const [starting, setStarting] = useState(false);
  const start = async () => {
    setStarting(true);
    setError(null);
    try {
      await api.startCapture({
        destination,
        file: file.trim(),
        from,
        mode: follow ? 'follow' : 'until-caught-up',
        ...(asksTopic ? { topic: topic.trim() } : {}),
      });
      await onStarted();
    } catch (err) {
      setError(err);
    } finally {
      setStarting(false);
    }
  };
  return (
    <section className="card" aria-label="New capture">
      <div className="row">
        <label className="field">
          <span>Destination</span>
          <select aria-label="Destination" value={destination} onChange={(e) => setDestination(e.target.value)}>
            {readable.map((d) => (
              <option key={d.name} value={d.name}>
                {d.name} ({d.kind})
              </option>
            ))}
          </select>
        </label>
        {asksTopic && <TopicField topic={topic} setTopic={setTopic} />}
        <label className="field grow">
          <span>Capture into (absolute path, .sqlite or .ndjson)</span>
          <input
            aria-label="Capture file"
            className="mono"
            placeholder="/home/me/captures/orders.sqlite"
            value={file}
            onChange={(e) => setFile(e.target.value)}
          />
        </label>
      </div>
      <div className="row">
        <label className="field">
          <span>First run starts at</span>
          <select aria-label="First run starts at" value={from} onChange={(e) => setFrom(e.target.value as CaptureFrom)}>
            <option value="trim-horizon">the oldest record (TRIM_HORIZON / beginning)</option>
            <option value="latest">new records only (LATEST / end)</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} />
          <span>Keep following new records until stopped</span>
        </label>
        <button type="button" disabled={starting || !destination || file.trim() === '' || (asksTopic && topic.trim() === '')} onClick={() => void start()}>
          {starting ? 'Starting…' : 'Start capture'}
        </button>
      </div>
    </section>
  );
}

export function CaptureView() {
  const destinationsQuery = useDestinations();
  const destinations = destinationsQuery.data ?? null;
  const [actionError, setError] = useState<unknown>(null);
  const [error, dismissError] = useDismissable(actionError ?? destinationsQuery.error);
  const readable = (destinations ?? []).filter((d) => isReadable(d.kind));
  const { captures, refresh, stop } = useCaptures(setError);
  if (destinations && readable.length === 0) {
    return (
      <EmptyState title="Nothing to capture yet">
        <p>
          Add a Kinesis or Kafka destination, then capture its stream or topic into a local SQLite table or NDJSON file. (Kinesis Data Firehose cannot be read
          back.)
        </p>
      </EmptyState>
    );
  }

  return (
    <div className="page" data-testid="capture">
      <h1>Capture</h1>
      <p className="muted">
        Writes every record of a Kinesis stream (one reader per shard, a split or merged shard&apos;s parent read before its children) or Kafka topic (one
        reader per partition) into the table <span className="mono">captured_records</span> of a SQLite file, or one JSON object per line of an NDJSON file. The
        file keeps a checkpoint: capturing into it again resumes where it stopped.
      </p>
      <NewCapture readable={readable} onStarted={refresh} setError={setError} />
      {error !== null && <ErrorBanner error={error} onDismiss={() => (setError(null), dismissError())} />}
      {captures.map((c) => (
        <CaptureCard key={c.id} capture={c} onStop={stop} />
      ))}
    </div>
  );
}
