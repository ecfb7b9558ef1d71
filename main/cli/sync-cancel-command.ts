// `sluice sync cancel <name>`: cancels the sync's run in progress wherever it runs (the app, or `sluice sync
// run` in another terminal), through the runs table the running process looks at each second.
import type { Command } from 'commander';
import type { RunSummary } from '../../shared/config/sync';
import type { Engine } from '../engine/engine';
import { sleep } from '../sync/backoff';
import { CliFailure, type Call, type WithEngine } from './cli-context';
import { fmt } from './cli-format';

/** How long `sluice sync cancel` waits for the run to end (its requests on the wire get a grace of 2 s, then are aborted). */
const WAIT_MS = 60_000;
const LOOK_MS = 200;

export function addSyncCancel(sync: Command, program: Command, withEngine: WithEngine, call: Call): void {
  sync
    .command('cancel <name>')
    .description("cancel the sync's run in progress, wherever it runs (the app, or sluice sync run elsewhere), and wait for it to end")
    .option('--no-wait', 'ask the run to stop and return at once')
    .action(async (name: string, opts: { wait: boolean }) => {
      await withEngine(program, async (engine) => {
        const runId = engine.runs.activeRun(engine.catalog.getSync(name).id);
        if (runId === undefined) throw new CliFailure(`No run of "${name}" is running: there is nothing to cancel.`);
        await call(engine, 'cancelRun', { runId });
        process.stdout.write(`Asked run ${runId} of "${name}" to stop.\n`);
        if (!opts.wait) return;
        const ended = await untilEnded(engine, runId);
        if (!ended) throw new CliFailure(`Run ${runId} is still running after ${WAIT_MS / 1000} s: it stops once its requests on the wire have answered.`);
        process.stdout.write(endedLine(ended));
      });
    });
}

async function untilEnded(engine: Engine, runId: number): Promise<RunSummary | undefined> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    engine.runs.markInterrupted(); // a runner that died meanwhile (kill -9) ends its run as interrupted
    const run = engine.runs.get(runId);
    if (run === undefined || run.status !== 'running') return run;
    if (Date.now() > deadline) return undefined;
    await sleep(LOOK_MS);
  }
}

function endedLine(run: RunSummary): string {
  if (run.dryRun) return `Run ${run.id} (a dry run) ended ${run.status}.\n`;
  if (run.error?.startsWith('Interrupted')) return `Run ${run.id} ended: ${run.error}\n`;
  const c = run.counts;
  const left = Math.max(0, run.toSend - c.acknowledged - c.failed);
  const rest = left > 0 ? `; ${fmt.count(left, 'record')} not sent stay pending for the next run` : '';
  // Records the cancel stopped the retries of are not the destination's failures: said apart.
  const givenUp = c.givenUp > 0 ? `, ${fmt.number(c.givenUp)} not tried again (cancelled)` : '';
  return `Run ${run.id} ended ${run.status}: ${fmt.count(c.acknowledged, 'record')} acknowledged, ${fmt.number(c.failed - c.givenUp)} failed${givenUp}${rest}.\n`;
}
