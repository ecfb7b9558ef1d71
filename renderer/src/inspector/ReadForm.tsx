import { useState } from 'react';
import type { InspectReadRequest, InspectTargets, StartPosition } from '../../../shared/config/inspector';
import type { Destination } from '../../../shared/config/destination';
import { inspectorOf } from '../destinations/kinds/registry';
import { readLimit, readLimitProblems } from './read-limits';
import type { StartKind } from '../destinations/kinds/types';

/** Where a read starts, as the form holds it. */
function useStart() {
  const [start, setStart] = useState<StartKind>('earliest');
  const [timestamp, setTimestamp] = useState('');
  const [sequence, setSequence] = useState('');
  const [offset, setOffset] = useState('0');
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
  return { start, setStart, timestamp, setTimestamp, sequence, setSequence, offset, setOffset, from };
}

type Start = ReturnType<typeof useStart>;

function StartFields({ s, starts }: { s: Start; starts: [StartKind, string][] }) {
  return (
    <>
      <label className="field">
        <span>Start at</span>
        <select aria-label="Start at" value={s.start} onChange={(e) => s.setStart(e.target.value as StartKind)}>
          {starts.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {s.start === 'timestamp' && (
        <label className="field">
          <span>Timestamp (your time zone)</span>
          <input aria-label="Timestamp" type="datetime-local" step="1" value={s.timestamp} onChange={(e) => s.setTimestamp(e.target.value)} />
        </label>
      )}
      {s.start === 'sequence' && (
        <label className="field">
          <span>Sequence number (check its shard)</span>
          <input aria-label="Sequence number" className="mono" value={s.sequence} onChange={(e) => s.setSequence(e.target.value)} />
        </label>
      )}
      {s.start === 'offset' && (
        <label className="field">
          <span>Offset (in each partition)</span>
          <input aria-label="Offset" className="mono" inputMode="numeric" value={s.offset} onChange={(e) => s.setOffset(e.target.value)} />
        </label>
      )}
    </>
  );
}

function PartsFields({ label, choices, parts, onToggle }: { label: string; choices: string[]; parts: string[]; onToggle(part: string): void }) {
  return (
    <fieldset className="row" aria-label={label}>
      <legend>{label} (none checked: all; one reader each)</legend>
      {choices.map((p) => (
        <label key={p} className="check">
          <input type="checkbox" checked={parts.includes(p)} onChange={() => onToggle(p)} />
          <span className="mono">{p}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** A number as typed, with its problem under it (the Read button waits until there is none). */
function NumberField({
  label,
  aria,
  value,
  problem,
  onChange,
}: {
  label: string;
  aria: string;
  value: string;
  problem: string | null;
  onChange(v: string): void;
}) {
  return (
    <label className="field">
      <span>{label}</span>
      <input
        aria-label={aria}
        type="text"
        inputMode="decimal"
        autoComplete="off"
        aria-invalid={problem ? true : undefined}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
      {problem && <small className="field-error">{problem}</small>}
    </label>
  );
}

function DestinationPicker({ destinations, value, onChange }: { destinations: Destination[] | null; value: string; onChange(name: string): void }) {
  return (
    <label className="field">
      <span>Destination</span>
      <select aria-label="Destination" value={value} onChange={(e) => onChange(e.target.value)}>
        {(destinations ?? []).map((d) => (
          <option key={d.name} value={d.name}>
            {d.name} ({d.kind})
          </option>
        ))}
      </select>
    </label>
  );
}

/** The read button, and beside it what is being asked while the destination's topics or streams are listed. */
function ReadButton({ disabled, label, listing, onRead }: { disabled: boolean; label: string; listing: string | null; onRead(): void }) {
  return (
    <>
      <button type="button" disabled={disabled} onClick={onRead}>
        {label}
      </button>
      {listing !== null && (
        <span className="muted small busy" role="status" data-testid="inspector-listing">
          {listing}
        </span>
      )}
    </>
  );
}

/**
 * The inspector's read form: the destination, its stream or topic (as its kind shows it), the shards or
 * partitions, where to start, how long to listen, the limit. Another destination starts again from its own
 * topic, all its parts, at the earliest record.
 */
export function ReadForm({
  destinations,
  destination,
  onDestination,
  targets,
  listing,
  reading,
  onRead,
}: {
  destinations: Destination[] | null;
  destination: string;
  onDestination(name: string): void;
  targets: InspectTargets | null;
  /** What is being asked while the destination's topics or streams are listed ("Listing topics…"), else null. */
  listing: string | null;
  reading: boolean;
  onRead(request: Omit<InspectReadRequest, 'destination'>): void;
}) {
  const ui = targets ? inspectorOf(targets) : null;
  // The topic picked; until then the destination's own topic, else its first.
  const [pickedTopic, setTopic] = useState<string | null>(null);
  const topic = pickedTopic ?? (targets && ui ? ui.defaultTopic(targets) : '');
  const [parts, setParts] = useState<string[]>([]);
  const s = useStart();
  const [limit, setLimit] = useState('100');
  const [waitSeconds, setWaitSeconds] = useState('0');
  // Out of range is refused here, in the field's unit, before the engine is asked.
  const problems = readLimitProblems(limit, waitSeconds);
  const valid = problems.limit === null && (!ui?.parts || problems.wait === null);
  const toggle = (p: string) => setParts((ps) => (ps.includes(p) ? ps.filter((x) => x !== p) : [...ps, p]));
  const choose = (name: string) => {
    setTopic(null);
    setParts([]);
    s.setStart('earliest');
    onDestination(name);
  };
  const read = () =>
    ui &&
    valid &&
    onRead({ ...ui.request(topic, parts, s.from()), limit: readLimit(limit)!, waitMs: ui.parts ? Math.round(Number(waitSeconds) * 1000) : 0 } as Omit<
      InspectReadRequest,
      'destination'
    >);

  return (
    <section className="card" aria-label="Read records" aria-busy={listing !== null}>
      <div className="row">
        <DestinationPicker destinations={destinations} value={destination} onChange={choose} />
        {targets && ui && (
          <ui.Target
            targets={targets}
            topic={topic}
            onTopic={(t) => {
              setTopic(t);
              setParts([]);
            }}
          />
        )}
      </div>
      {targets && ui?.parts && (
        <>
          <PartsFields label={ui.parts.label} choices={ui.parts.choices(targets, topic)} parts={parts} onToggle={toggle} />
          <div className="row">
            <StartFields s={s} starts={ui.parts.starts} />
            <NumberField label="Listen for new records (s)" aria="Listen seconds" value={waitSeconds} problem={problems.wait} onChange={setWaitSeconds} />
          </div>
        </>
      )}
      <div className="row">
        <NumberField label="Limit" aria="Limit" value={limit} problem={problems.limit} onChange={setLimit} />
        <ReadButton disabled={!targets || reading || !valid} label={reading ? 'Reading…' : (ui?.readLabel ?? 'Read records')} listing={listing} onRead={read} />
      </div>
    </section>
  );
}
