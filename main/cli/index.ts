// `sluice`: the command line, on the same engine as the app. Later issues add verbs here.
import fs from 'node:fs';
import { Command } from 'commander';
import type { RowReject, RunSummary } from '../../shared/config/sync';
import { applyConfig, exportConfig } from '../config/config-file';
import { describeError } from '../../shared/ipc/errors';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { Engine } from '../engine/engine';
import { resolveWorkspace } from '../engine/workspace';
import { packageVersion } from '../paths';
import { addInspectCommand } from './inspect-command';
import { addTemplateCommand } from './template-command';

class CliFailure extends Error {}

async function withEngine<T>(program: Command, work: (engine: Engine) => Promise<T>): Promise<T> {
  const { workspace } = program.opts<{ workspace?: string }>();
  const engine = await Engine.open({ workspace: resolveWorkspace(workspace), runtime: 'browser-host' });
  try {
    return await work(engine);
  } finally {
    engine.close();
  }
}

/** The CLI goes through the same dispatcher as the UI: same validation, same errors. */
async function call<C extends Channel>(engine: Engine, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> {
  const result = await engine.dispatcher.dispatch(channel, input, { transport: 'websocket', origin: 'cli', trusted: true });
  if (!result.ok) throw new CliFailure(describeError(result.error));
  return result.value as ChannelOutput<C>;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function buildProgram(): Command {
  const program = new Command('sluice')
    .description('Sluice: send rows of your data to Kinesis, Firehose and Kafka.')
    .version(packageVersion(), '-v, --version', 'print the Sluice version')
    .option('--workspace <dir>', 'state folder (default: $SLUICE_HOME, else the user-data folder)')
    .showHelpAfterError();

  program
    .command('info')
    .description('show the workspace, schema version and where secrets are kept')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const info = await withEngine(program, (engine) => call(engine, 'getAppInfo', {}));
      if (opts.json) return void process.stdout.write(JSON.stringify(info, null, 2) + '\n');
      process.stdout.write(
        [
          `Sluice ${info.version} (${info.platform})`,
          `workspace:      ${info.workspace}`,
          `schema version: ${info.schemaVersion}`,
          `secrets:        ${info.keychain.backend === 'os' ? 'OS keychain' : `memory only — ${info.keychain.problem ?? ''}`}`,
        ].join('\n') + '\n',
      );
    });

  const secrets = program.command('secrets').description('named secrets, kept in the OS keychain');
  secrets
    .command('list')
    .description('list secret names (never values)')
    .action(async () => {
      const refs = await withEngine(program, (engine) => call(engine, 'listSecrets', {}));
      if (refs.length === 0) process.stdout.write('No secrets saved.\n');
      for (const ref of refs) process.stdout.write(`${ref.name}\t${ref.backend}\t${ref.updatedAt}\n`);
    });
  secrets
    .command('set <name>')
    .description('save a secret; the value is read from standard input, never from the command line')
    .action(async (name: string) => {
      const value = await readStdin();
      const ref = await withEngine(program, async (engine) => {
        if (engine.keychain.backend !== 'os') {
          throw new CliFailure(`${engine.keychain.problem ?? 'No OS keychain'}. ${engine.keychain.howToEnable ?? ''}`);
        }
        return call(engine, 'saveSecret', { name, value });
      });
      process.stdout.write(`Saved "${ref.name}" in the OS keychain.\n`);
    });
  secrets
    .command('delete <name>')
    .description('delete a secret')
    .action(async (name: string) => {
      const { deleted } = await withEngine(program, (engine) => call(engine, 'deleteSecret', { name }));
      process.stdout.write(deleted ? `Deleted "${name}".\n` : `There is no secret named "${name}".\n`);
      if (!deleted) process.exitCode = 1;
    });

  program
    .command('apply')
    .description('create or update sources, models, destinations and syncs from a YAML file (all or nothing)')
    .requiredOption('-f, --file <file>', 'the configuration file')
    .action(async (opts: { file: string }) => {
      const text = fs.readFileSync(opts.file, 'utf8');
      const summary = await withEngine(program, async (engine) => applyConfig(engine.db, engine.catalog, text, opts.file));
      process.stdout.write(`Applied ${opts.file}: ${summary.sources} sources, ${summary.models} models, ${summary.destinations} destinations, ${summary.syncs} syncs.\n`);
    });

  program
    .command('export')
    .description('print the configuration as YAML (secrets by reference only)')
    .option('-o, --output <file>', 'write to a file instead')
    .action(async (opts: { output?: string }) => {
      const text = await withEngine(program, async (engine) => exportConfig(engine.catalog, engine.db));
      if (opts.output) fs.writeFileSync(opts.output, text);
      else process.stdout.write(text);
    });

  const destinations = program.command('destinations').description('destinations: list them, test a connection');
  destinations
    .command('list')
    .description('list destinations')
    .action(async () => {
      const list = await withEngine(program, (engine) => call(engine, 'listDestinations', {}));
      for (const d of list) process.stdout.write(`${d.name}\t${d.kind}\n`);
    });
  destinations
    .command('test <name>')
    .description('test a destination step by step: name resolution, TCP, TLS, authentication, authorisation, listing')
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { json?: boolean }) => {
      const result = await withEngine(program, async (engine) => {
        try {
          return await call(engine, 'testDestination', { destination: name });
        } finally {
          await engine.shutdown();
        }
      });
      if (opts.json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
      else {
        for (const s of result.steps) {
          const mark = s.status === 'ok' ? '✓' : s.status === 'failed' ? '✗' : '–';
          process.stdout.write(`${mark} ${s.step.padEnd(16)} ${s.detail}\n`);
          if (s.hint) process.stdout.write(`  ${''.padEnd(16)} → ${s.hint}\n`);
          if (s.status === 'failed' && s.raw) process.stdout.write(`  ${''.padEnd(16)}   (${s.raw})\n`);
        }
        if (result.listed.length) process.stdout.write(`Listed: ${result.listed.join(', ')}\n`);
      }
      if (!result.ok) process.exitCode = 1;
    });

  const sync = program.command('sync').description('syncs: list them, run one');
  sync
    .command('list')
    .description('list syncs with their last run')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }) => {
      const syncs = await withEngine(program, (engine) => call(engine, 'listSyncs', {}));
      if (opts.json) return void process.stdout.write(JSON.stringify(syncs, null, 2) + '\n');
      if (syncs.length === 0) process.stdout.write('No syncs. Create one with: sluice apply -f FILE\n');
      for (const s of syncs) {
        const last = s.lastRun ? `last run ${s.lastRun.id}: ${s.lastRun.status} (${s.lastRun.finishedAt ?? 'running'})` : 'never run';
        process.stdout.write(`${s.sync.name}\t${s.sync.model} → ${s.sync.destination}\t[${s.sync.triggers.join(', ')}]\t${last}\n`);
      }
    });
  sync
    .command('run <name>')
    .description('run a sync now; exits non-zero when records failed')
    .option('--dry-run', 'render and route every row without sending')
    .option('--retry-failed <runId>', 'send only the records that failed or were rejected in that run', (v) => Number.parseInt(v, 10))
    .option('--json', 'machine-readable summary')
    .action(async (name: string, opts: { dryRun?: boolean; retryFailed?: number; json?: boolean }) => {
      const summary = await withEngine(program, async (engine) => {
        const controller = new AbortController();
        const onSigint = () => controller.abort();
        process.once('SIGINT', onSigint);
        let lastLine = 0;
        const unsubscribe = engine.onEvent((event, payload) => {
          if (event !== 'runProgress' || opts.json || !process.stderr.isTTY) return;
          const p = payload as RunSummary;
          if (Date.now() - lastLine < 500 && p.status === 'running') return;
          lastLine = Date.now();
          process.stderr.write(`\r${progressLine(p)}\x1b[K`);
        });
        try {
          const { runId, done } = engine.runner.start(name, { dryRun: opts.dryRun, retryFailedOf: opts.retryFailed, signal: controller.signal });
          if (!opts.json && process.stderr.isTTY) process.stderr.write(`Run ${runId} of "${name}" started\n`);
          const result = await done;
          return { ...result, rejects: engine.runs.rejects(runId, 20) };
        } finally {
          unsubscribe();
          process.off('SIGINT', onSigint);
          await engine.shutdown();
        }
      });
      if (process.stderr.isTTY && !opts.json) process.stderr.write('\n');
      if (opts.json) process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      else process.stdout.write(formatSummary(summary));
      if (summary.status !== 'succeeded') process.exitCode = summary.status === 'cancelled' ? 130 : 1;
    });

  program
    .command('runs <sync>')
    .description('the run history of a sync')
    .option('--limit <n>', 'how many runs', (v) => Number.parseInt(v, 10), 20)
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { limit: number; json?: boolean }) => {
      const runs = await withEngine(program, (engine) => call(engine, 'listRuns', { sync: name, limit: opts.limit }));
      if (opts.json) return void process.stdout.write(JSON.stringify(runs, null, 2) + '\n');
      if (runs.length === 0) process.stdout.write(`"${name}" has not run yet.\n`);
      for (const r of runs) {
        const c = r.counts;
        process.stdout.write(`${r.id}\t${r.status}${r.dryRun ? ' (dry run)' : ''}\t${r.startedAt}\t${duration(r)}\tadded ${c.added}, changed ${c.changed}, removed ${c.removed}; sent ${c.acknowledged}, failed ${c.failed}${r.error ? `\t${r.error}` : ''}\n`);
      }
    });

  // --- payload authoring: `sluice template test` (issue 5) ---
  addTemplateCommand(program, withEngine, call);

  // --- destinations (issue 6) ---
  destinations
    .command('policy <name>')
    .description('print the least-privilege IAM policy for a destination (tests the connection to learn the stream ARN and encryption)')
    .option('--inspector', 'include the read actions the record inspector needs')
    .option('--no-probe', 'do not connect; use placeholders for what only the connection would tell')
    .action(async (name: string, opts: { inspector?: boolean; probe: boolean }) => {
      const { advice, probed } = await withEngine(program, async (engine) => {
        try {
          return await call(engine, 'destinationPolicy', { destination: name, inspector: opts.inspector ?? false, probe: opts.probe });
        } finally {
          await engine.shutdown();
        }
      });
      if (!advice) {
        process.stdout.write(`"${name}" needs no IAM policy.\n`);
        return;
      }
      const failed = probed?.steps.find((s) => s.status === 'failed');
      if (failed) process.stderr.write(`Note: the connection test failed at ${failed.step} (${failed.detail}); the policy uses placeholders where it would have read the stream.\n`);
      process.stdout.write(JSON.stringify(advice.policy, null, 2) + '\n');
      if (advice.trustPolicy) process.stderr.write(`\nTrust policy of the role:\n${JSON.stringify(advice.trustPolicy, null, 2)}\n`);
      if (advice.placeholders.length) process.stderr.write(`Replace: ${advice.placeholders.join(', ')}\n`);
    });
  destinations
    .command('delete <name>')
    .description('delete a destination no sync uses')
    .action(async (name: string) => {
      await withEngine(program, (engine) => call(engine, 'deleteDestination', { name }));
      process.stdout.write(`Deleted the destination "${name}".\n`);
    });

  // --- record inspector: `sluice inspect` (issue 7) ---
  addInspectCommand(program, withEngine, call);

  return program;
}

function duration(r: RunSummary): string {
  if (!r.finishedAt) return 'running';
  const ms = Date.parse(r.finishedAt) - Date.parse(r.startedAt);
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function progressLine(p: RunSummary): string {
  const c = p.counts;
  if (p.phase === 'reading') return `reading: ${c.read} rows`;
  if (p.phase === 'diffing') return `diffing ${c.read} rows`;
  const done = c.acknowledged + c.failed;
  const pct = p.toSend > 0 ? Math.floor((done / p.toSend) * 100) : 100;
  return `sending: ${done}/${p.toSend} (${pct}%), ${c.failed} failed, ${p.ratePerSecond}/s${p.etaSeconds !== null ? `, ETA ${p.etaSeconds} s` : ''}`;
}

function formatSummary(s: RunSummary & { rejects: RowReject[] }): string {
  const c = s.counts;
  const lines = [
    `Run ${s.id} of "${s.sync}": ${s.status}${s.dryRun ? ' (dry run: nothing was sent)' : ''} in ${duration(s)}`,
    `  read ${c.read} rows: added ${c.added}, changed ${c.changed}, removed ${c.removed}, unchanged ${c.unchanged}` +
      (c.skippedByTrigger ? `, ${c.skippedByTrigger} recorded without sending (trigger off)` : ''),
    s.dryRun ? `  would send ${s.toSend}; rendered ${c.rendered}; ${c.failed} could not be sent` : `  sent ${c.acknowledged} of ${s.toSend}; failed ${c.failed}`,
  ];
  if (s.perShard) lines.push(`  per shard: ${Object.entries(s.perShard).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  if (c.rejectedRows) lines.push(`  ${c.rejectedRows} rows not sent because of their keys:`);
  for (const r of s.rejects) lines.push(`    - ${r.detail}`);
  if (s.error) lines.push(`  error: ${s.error}`);
  return lines.join('\n') + '\n';
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (err) {
    process.stderr.write(`sluice: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

if (require.main === module) void runCli(process.argv);
