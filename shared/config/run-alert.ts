import { oneLine } from '../format/one-line';
import type { RunSummary } from './sync';

/** What a desktop notification says about a run. */
export interface RunAlert {
  title: string;
  body: string;
  /** One notification per run: a second one for the same run replaces the first. */
  tag: string;
}

/** Notification bodies are cut here (OS notification centres show two to four lines). */
export const ALERT_BODY_MAX = 300;

const cut = (text: string, max: number) => oneLine(text, max);

const n = (v: number) => v.toLocaleString('en-US');

/**
 * Whether a run's end is worth a desktop notification, and what it says. Only a real run that FAILED or
 * ended PARTIAL alerts: not a dry run (it sends nothing, its result is on screen), not a success, not a
 * run the user cancelled (they know: they pressed Cancel), not a run still going, and not when the user
 * turned alerts off. The message names the sync and the run's top failure reason (its fatal error, else
 * the most frequent reason records were not sent).
 */
export function runAlert(run: RunSummary, enabled = true): RunAlert | null {
  if (!enabled || run.dryRun) return null;
  if (run.status !== 'failed' && run.status !== 'partial') return null;
  const c = run.counts;
  const title = run.status === 'failed' ? `Sluice: "${run.sync}" failed` : `Sluice: "${run.sync}" sent only part of its records`;
  const notSent = c.failed + c.rejectedRows;
  const tally = run.toSend > 0 || c.acknowledged > 0 ? `Sent ${n(c.acknowledged)} of ${n(run.toSend)}${notSent ? `; ${n(notSent)} not sent` : ''}.` : '';
  const reason = run.error ?? (run.topReason ? `${run.topReason.message}${run.topReason.count > 1 ? ` (${n(run.topReason.count)} records)` : ''}` : null);
  const body = [tally, reason ?? 'Open the run in Sluice to see why.'].filter(Boolean).join(' ');
  return { title: cut(title, 120), body: cut(body, ALERT_BODY_MAX), tag: `sluice-run-${run.id}` };
}
