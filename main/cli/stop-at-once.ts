// A second Ctrl+C (or SIGTERM) during `sluice sync run`: the process stops at once, saying what that leaves.
import { formatJsonError, type OutputMode } from './json-error';

/** What a second Ctrl+C (or SIGTERM) during a run says as it stops the process. */
export const STOPPED_AT_ONCE =
  'Stopped at once. The run is left unfinished; the next run (or any Sluice process that opens this workspace) ends it as interrupted. ' +
  'Records the destination had taken but Sluice had not yet recorded are sent again by the next run, so the destination may get some twice.';

/** How long the closing JSON may take to be written before the signal ends the process anyway (a reader that stopped reading). */
const WRITE_WAIT_MS = 1000;

/**
 * Says it on standard error and, for `--json` and `--progress ndjson`, as the error a script reads on standard output
 * (`{"error": {"code": "cancelled", …}}`, or the NDJSON stream's closing `{"type": "error", …}` line: it printed nothing,
 * and the NDJSON stream ended on a progress line), then raises `signal` again with no handler, so the OS ends the process
 * as the signal would have. The caller has removed its handlers. `last` runs right before the signal is raised (what must
 * be written first: the run goes on until then).
 */
export function stopAtOnce(signal: NodeJS.Signals, mode: OutputMode, last: () => void = () => undefined): void {
  process.stderr.write(`\n${STOPPED_AT_ONCE}\n`);
  const raise = (): void => {
    last();
    process.kill(process.pid, signal);
  };
  if (mode === 'text') return raise();
  process.stdout.write(formatJsonError({ error: { code: 'cancelled', message: STOPPED_AT_ONCE } }, mode), raise);
  setTimeout(raise, WRITE_WAIT_MS);
}
