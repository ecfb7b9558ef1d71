// Ctrl-C (SIGINT) or SIGTERM during `sluice apply`: it says what it left, then exits 130 (143 for SIGTERM).
// The file is written in one transaction, so there are two answers: nothing of it (stopped before the write),
// or all of it (stopped after, while or after its models were checked for columns their syncs name).
import type { ApplySummary } from '../config/config-file';
import { fmt } from './cli-format';

export interface ApplyInterrupt {
  /** Lets a Ctrl-C pressed while the file was read and checked stop the command here, before anything is written. */
  beforeWrite(): Promise<void>;
  /** The file is written: a Ctrl-C from now on says so. */
  written(summary: ApplySummary): void;
  /** Everything is done: a Ctrl-C that came meanwhile (the write and the checks can block the event loop) is said now. */
  finish(): Promise<void>;
  stop(): void;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
const EXIT_CODES: Record<(typeof SIGNALS)[number], number> = { SIGINT: 130, SIGTERM: 143 };

type Phase = { written: null } | { written: ApplySummary; checked: boolean };

export function interruptedWords(file: string, phase: Phase): string {
  if (!phase.written) return `sluice: apply was interrupted before it wrote anything: nothing in ${file} was applied.`;
  const s = phase.written;
  const all = `${file} was applied, all of it (${fmt.count(s.sources, 'source')}, ${fmt.count(s.models, 'model')}, ${fmt.count(s.destinations, 'destination')}, ${fmt.count(s.syncs, 'sync')})`;
  if (phase.checked) return `sluice: apply was interrupted once it had finished: ${all}.`;
  return (
    `sluice: apply was interrupted after ${all}, while it checked the models for columns their syncs name but the models lack: ` +
    `a warning of that may be missing (the run of such a sync stops before sending and names the columns).`
  );
}

/**
 * A signal that came while the event loop was blocked (reading and checking the file is synchronous) is handled
 * at the loop's next poll: two turns make sure one poll comes first, wherever this is called from (from within
 * the poll phase, one `setImmediate` runs in that same turn, before the next poll).
 */
async function pollOnce(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** Watches for Ctrl-C and SIGTERM from now until `stop`. */
export function watchApplyInterrupt(file: string): ApplyInterrupt {
  let phase: Phase = { written: null };
  const onSignal = (signal: (typeof SIGNALS)[number]) => {
    process.stderr.write(`${interruptedWords(file, phase)}\n`);
    process.exit(EXIT_CODES[signal]);
  };
  const stop = () => SIGNALS.forEach((signal) => process.off(signal, onSignal));
  for (const signal of SIGNALS) process.once(signal, onSignal);
  return {
    beforeWrite: pollOnce,
    written: (summary) => void (phase = { written: summary, checked: false }),
    finish: async () => {
      if (phase.written) phase = { written: phase.written, checked: true };
      await pollOnce();
    },
    stop,
  };
}
