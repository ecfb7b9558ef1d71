import { fmt } from '../../../../shared/format/format';
import type { RunSample } from './run-samples';
import './run-chart.css';

const W = 280;
const H = 56;
/** Room at the top for the marks of throttled and retried answers. */
const TOP = 10;

function rateText(n: number): string {
  return fmt.rate(Math.round(n));
}

/**
 * A sparkline of the records/s acknowledged during a run, with the moments the destination throttled
 * (orange bars) and records were sent again (blue dots) marked above it. Plain SVG: no chart library.
 */
export function RunChart({ samples }: { samples: readonly RunSample[] }) {
  if (samples.length === 0) return null;
  const last = samples[samples.length - 1]!;
  const span = Math.max(10_000, last.t - samples[0]!.t);
  const t0 = last.t - span;
  const peak = Math.max(1, ...samples.map((s) => s.rate));
  const x = (t: number) => ((t - t0) / span) * W;
  const y = (rate: number) => H - (rate / peak) * (H - TOP - 2) - 1;
  const points = samples.map((s) => `${x(s.t).toFixed(1)},${y(s.rate).toFixed(1)}`).join(' ');
  const throttled = samples.filter((s) => s.throttled > 0);
  const retried = samples.filter((s) => s.retried > 0);
  const throttledTotal = throttled.reduce((n, s) => n + s.throttled, 0);
  const retriedTotal = retried.reduce((n, s) => n + s.retried, 0);
  const summary =
    `Records per second acknowledged over the last ${Math.round(span / 1000)} s: now ${rateText(last.rate)}, peak ${rateText(peak)}.` +
    (throttledTotal > 0 ? ` ${fmt.count(throttledTotal, ['answer', 'answers'])} throttled.` : ' No throttling.') +
    (retriedTotal > 0 ? ` ${fmt.count(retriedTotal, ['record', 'records'])} sent again.` : '');

  return (
    <figure
      className="run-chart"
      data-testid="run-chart"
      data-samples={samples.length}
      data-throttled-marks={throttled.length}
      data-retried-marks={retried.length}
    >
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={summary}>
        <line className="run-chart-base" x1={0} x2={W} y1={H - 0.5} y2={H - 0.5} />
        {throttled.map((s) => (
          <rect key={`t${s.t}`} className="run-chart-throttled" data-testid="throttled-mark" x={x(s.t) - 1} y={0} width={2} height={H}>
            <title>{`${fmt.number(s.throttled)} throttled`}</title>
          </rect>
        ))}
        <polyline className="run-chart-line" points={points} vectorEffect="non-scaling-stroke" />
        {retried.map((s) => (
          <circle key={`r${s.t}`} className="run-chart-retried" data-testid="retried-mark" cx={x(s.t)} cy={4} r={2.5}>
            <title>{`${fmt.number(s.retried)} sent again`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="muted small">
        <span data-testid="run-chart-rate" title="Records acknowledged per second over the last second">
          now {rateText(last.rate)}
        </span>
        <span className="run-chart-key">
          <i className="key-throttled" /> throttled{throttledTotal > 0 ? ` (${fmt.number(throttledTotal)})` : ''}
        </span>
        <span className="run-chart-key">
          <i className="key-retried" /> sent again{retriedTotal > 0 ? ` (${fmt.number(retriedTotal)})` : ''}
        </span>
      </figcaption>
    </figure>
  );
}
