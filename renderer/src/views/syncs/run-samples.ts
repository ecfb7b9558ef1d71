import type { RunSummary } from '../../../../shared/config/sync';

/** One point of the live chart: records/s acknowledged around `t`, and what the answers since the last point were. */
export interface RunSample {
  /** ms since the run's first point. */
  t: number;
  rate: number;
  /** Record answers since the previous point that were throttling. */
  throttled: number;
  /** Records since the previous point that went back to be sent again. */
  retried: number;
}

export interface RunSamples {
  runId: number;
  start: number;
  /** Wall-clock time and cumulative counts at each point, for the rate over the last second. */
  marks: { at: number; done: number; throttled: number; retried: number }[];
  samples: RunSample[];
}

/** How far back the rate looks (progress comes every 250 ms: a rate over one answer would jump about). */
const RATE_WINDOW_MS = 1000;
/** The chart shows the last two minutes. */
const KEEP_MS = 120_000;

/** The samples after one more progress event of a run (a new run starts over). */
export function nextSamples(prev: RunSamples | null, run: RunSummary, now: number): RunSamples | null {
  if (run.status !== 'running' || run.phase !== 'sending') return prev?.runId === run.id ? prev : null;
  const base = prev?.runId === run.id ? prev : { runId: run.id, start: now, marks: [], samples: [] };
  const done = run.dryRun ? run.counts.rendered : run.counts.acknowledged;
  const mark = { at: now, done, throttled: run.answers?.throttled ?? 0, retried: run.answers?.retried ?? 0 };
  const last = base.marks[base.marks.length - 1];
  const marks = [...base.marks.filter((m) => now - m.at <= KEEP_MS), mark];
  // The rate over the last second: from the oldest point at most a second old (or the one just before).
  const from = [...marks].reverse().find((m) => now - m.at >= RATE_WINDOW_MS) ?? marks[0]!;
  const seconds = (now - from.at) / 1000;
  const rate = seconds > 0 ? Math.max(0, (done - from.done) / seconds) : 0;
  const sample: RunSample = {
    t: now - base.start,
    rate,
    throttled: last ? Math.max(0, mark.throttled - last.throttled) : mark.throttled,
    retried: last ? Math.max(0, mark.retried - last.retried) : mark.retried,
  };
  const samples = [...base.samples.filter((s) => now - base.start - s.t <= KEEP_MS), sample];
  return { ...base, marks, samples };
}
