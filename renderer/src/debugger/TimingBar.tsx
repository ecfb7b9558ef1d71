import { fmt } from '../../../shared/format/format';

/** Where a call sat in its run's timeline, and how long it took. */
export function TimingBar({ startMs, durationMs, window }: { startMs: number; durationMs: number; window: { startMs: number; endMs: number } }) {
  const span = Math.max(1, window.endMs - window.startMs);
  const left = Math.min(100, Math.max(0, ((startMs - window.startMs) / span) * 100));
  const width = Math.max(0.5, Math.min(100 - left, (durationMs / span) * 100));
  return (
    <div className="timing" data-testid="api-call-timing">
      <div className="timing-track" title={`The run's calls span ${fmt.duration(span)}`}>
        <div className="timing-bar" style={{ left: `${left}%`, width: `${width}%` }} />
      </div>
      <div className="timing-labels muted small">
        <span>started {fmt.duration(startMs - window.startMs)} into the run</span>
        <span>took {fmt.duration(durationMs)}</span>
        <span>run span {fmt.duration(span)}</span>
      </div>
    </div>
  );
}
