// `sluice info`, `sluice secrets …`, `sluice apply` and `sluice export`: the workspace, its secrets and its configuration as code.
import type { Command } from 'commander';
import { checkConfig, type ApplySummary } from '../config/config-file';
import { exportConfig } from '../config/config-export';
import { fmt } from './cli-format';
import { CliFailure, type Call, type WithEngine } from './cli-context';
import type { Engine } from '../engine/engine';
import { readFileOrExplain, writeFileOrExplain } from './files';
import { previewModelSave, savePreviewOf } from '../catalog/model-admin';
import { SIDE_CONNECT_TIMEOUT_MS } from '../sources/postgres-reader';
import { refuseBadModelQueries } from '../config/model-query-check';
import { watchApplyInterrupt, type ApplyInterrupt } from './apply-interrupt';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/**
 * After `sluice apply`: for each model the file changed, and each model of a sync the file added or changed,
 * the syncs on it that name columns its query does not return (`previewModelSave`, as the app asks before
 * saving), one warning line each. Applied all the same: those syncs' runs stop before sending anything, saying so.
 * The models are read at once, and a database server gets SIDE_CONNECT_TIMEOUT_MS to connect (a run waits
 * longer): one out of reach held the command for its run's connect timeout, per model. A model that cannot be
 * read is not checked (a config applied before its source is there says nothing of it).
 */
async function missingColumnWarnings(engine: Engine, models: string[], read: ReadonlyMap<string, string[] | null>): Promise<string[]> {
  const checks = models.map(async (name) => {
    try {
      // A model read before the apply (`refuseBadModelQueries`) is not read again: a server that does not answer held apply twice.
      const known = read.get(name);
      if (read.has(name) && !known) return [];
      const { syncs } = known
        ? savePreviewOf(engine, name, known)
        : await previewModelSave(engine, engine.catalog.getModel(name), { connectTimeoutMs: SIDE_CONNECT_TIMEOUT_MS });
      return syncs.map((s) => `Warning: ${s.message}`);
    } catch {
      // A model that cannot be read here (a file or server not there yet, a secret not set): nothing to
      // check against, and nothing to warn of; its run says what is wrong.
      return [];
    }
  });
  return (await Promise.all(checks)).flat();
}

const syncsByName = (engine: Engine) => new Map(engine.catalog.listSyncs().map((s) => [s.definition.name, JSON.stringify(s.definition)]));

/**
 * Checks the file whole, refuses a model of it that its source refuses or whose key it does not return (`refuseBadModelQueries`), then applies it and says so; then checks the models it changed, and those of the syncs it added or changed
 * (one may name a column its model does not have), and warns of each on standard error. A Ctrl-C says which
 * of the two it stopped (`interrupt`).
 */
async function applyAndCheck(engine: Engine, text: string, file: string, interrupt: ApplyInterrupt): Promise<void> {
  const before = syncsByName(engine);
  const checked = checkConfig(engine.db, engine.catalog, text, file);
  const read = await refuseBadModelQueries(engine, checked, { connectTimeoutMs: SIDE_CONNECT_TIMEOUT_MS });
  await interrupt.beforeWrite();
  const summary = checked.write();
  interrupt.written(summary);
  printApplied(summary, file);
  const syncModels = engine.catalog
    .listSyncs()
    .filter((s) => before.get(s.definition.name) !== JSON.stringify(s.definition))
    .map((s) => s.definition.model);
  for (const line of await missingColumnWarnings(engine, [...new Set([...summary.changedModels, ...syncModels])], read)) process.stderr.write(`${line}\n`);
  await interrupt.finish();
}

function printApplied(summary: ApplySummary, file: string): void {
  const tests = summary.templateTests > 0 ? `, ${fmt.count(summary.templateTests, 'template test')}` : '';
  process.stdout.write(
    `Applied ${file}: ${fmt.count(summary.sources, 'source')}, ${fmt.count(summary.models, 'model')}, ${fmt.count(summary.destinations, 'destination')}, ${fmt.count(summary.syncs, 'sync')}${tests}.\n`,
  );
  if (summary.startedOver.length > 0)
    process.stdout.write(
      `Starting over (they now read another model, or send to another destination, stream or topic; their next run sends every row): ${summary.startedOver.map((n) => `"${n}"`).join(', ')}.\n`,
    );
}

export function addWorkspaceCommands(program: Command, withEngine: WithEngine, call: Call): void {
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
      const interrupt = watchApplyInterrupt(opts.file);
      try {
        const text = readFileOrExplain(opts.file);
        await withEngine(program, (engine) => applyAndCheck(engine, text, opts.file, interrupt));
      } finally {
        interrupt.stop();
      }
    });

  program
    .command('export')
    .description('print the configuration as YAML (secrets by reference only)')
    .option('-o, --output <file>', 'write to a file instead')
    .action(async (opts: { output?: string }) => {
      const text = await withEngine(program, async (engine) => exportConfig(engine.catalog, engine.db));
      if (opts.output) writeFileOrExplain(opts.output, text);
      else process.stdout.write(text);
    });
}
