// `sluice debugger export` and `sluice diagnostics`: what the Debugger's Export and the Settings view's
// "Export diagnostics" give, on the command line — to standard output, or with -o to a file.
import { Option, type Command } from 'commander';
import type { Engine } from '../engine/engine';
import { CliFailure, type Call, type WithEngine } from './cli-context';
import { writeOutput } from './files';
import { requireRun } from './runs-command';
import { runIdArgument } from './options';

/** The latest run with recorded API calls (what the Debugger opens on). */
function latestRunWithCalls(engine: Engine, facetsRuns: { runId: number }[]): number {
  const latest = facetsRuns.reduce<number | null>((max, r) => (max === null || r.runId > max ? r.runId : max), null);
  if (latest === null) {
    const anyRun = engine.db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number };
    throw new CliFailure(
      anyRun.n === 0
        ? 'No run has made API calls yet: run a sync first (sluice sync run NAME).'
        : 'No API calls are recorded for any run (the Debugger keeps them for the days set in Settings).',
    );
  }
  return latest;
}

/**
 * Every keychain secret's value is known to the redactor before diagnostics are exported: the log's
 * tail was written by other processes, which may not have read them. (Recorded API calls were
 * redacted as they were written, by the process that used the secrets.)
 */
async function rememberSecrets(engine: Engine): Promise<void> {
  for (const ref of engine.secrets.list()) await engine.secrets.reveal(ref.name).catch(() => undefined);
}

export function addDebuggerCommands(program: Command, withEngine: WithEngine, call: Call): void {
  const debuggerCommand = program.command('debugger').description('the Debugger: the API calls Sluice made to destinations');
  debuggerCommand
    .command('export')
    .description("export a run's API calls, redacted, as NDJSON (one call a line) or a HAR file (AWS calls only)")
    .option('--run <id>', 'the run (default: the latest run with recorded API calls)', runIdArgument)
    .addOption(new Option('--format <format>', 'ndjson or har').choices(['ndjson', 'har']).default('ndjson'))
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (opts: { run?: number; format: 'ndjson' | 'har'; output?: string }) => {
      const exported = await withEngine(program, async (engine) => {
        if (opts.run !== undefined) requireRun(engine, opts.run);
        const runId = opts.run ?? latestRunWithCalls(engine, (await call(engine, 'listApiCallFacets', {})).runs);
        return { runId, ...(await call(engine, 'exportApiCalls', { runId, format: opts.format })) };
      });
      const content = exported.content.endsWith('\n') ? exported.content : exported.content + '\n';
      writeOutput(opts.output, content);
      if (opts.output)
        process.stdout.write(
          `Wrote ${exported.calls} API call${exported.calls === 1 ? '' : 's'} of run ${exported.runId} to ${opts.output} (${opts.format}).\n`,
        );
    });

  program
    .command('diagnostics')
    .description('export diagnostics (versions, platform, settings, secret names, the end of the log), redacted, as the Settings view does')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (opts: { output?: string }) => {
      const exported = await withEngine(program, async (engine) => {
        await rememberSecrets(engine);
        return call(engine, 'exportDiagnostics', {});
      });
      writeOutput(opts.output, exported.content.endsWith('\n') ? exported.content : exported.content + '\n');
      if (opts.output) process.stdout.write(`Wrote diagnostics to ${opts.output}.\n`);
    });
}
