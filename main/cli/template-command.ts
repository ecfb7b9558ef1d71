// `sluice template test SYNC [--json]`: run a sync's template tests; non-zero exit on any failure.
import type { Command } from 'commander';
import { formatDifferences } from '../../shared/payload/json-diff';
import type { Call, WithEngine } from './cli-context';

export function addTemplateCommand(program: Command, withEngine: WithEngine, call: Call): void {
  const template = program.command('template').description("payload templates: run a sync's template tests");
  template
    .command('test <sync>')
    .description('render every saved test row with the sync’s payload and compare with its expected JSON (exit 1 on a failure)')
    .option('--json', 'machine-readable output')
    .action(async (sync: string, opts: { json?: boolean }) => {
      const run = await withEngine(program, (engine) => call(engine, 'runTemplateTests', { sync }));
      if (opts.json) process.stdout.write(JSON.stringify(run, null, 2) + '\n');
      else {
        if (run.problem) process.stdout.write(`✗ ${run.problem}\n`);
        for (const r of run.results) {
          process.stdout.write(`${r.passed ? '✓' : '✗'} key ${r.key} (${r.event}${r.tombstone ? ', a tombstone: no value' : ''})\n`);
          if (r.error) process.stdout.write(`    ${r.error}\n`);
          for (const line of formatDifferences(r.differences)) process.stdout.write(`    ${line}\n`);
        }
        if (run.results.length === 0 && !run.problem) process.stdout.write(`The sync "${sync}" has no template tests yet.\n`);
        else process.stdout.write(`${run.passed} passed, ${run.failed} failed\n`);
      }
      if (run.failed > 0 || run.problem) process.exitCode = 1;
    });
}
