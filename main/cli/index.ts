// `sluice`: the command line, on the same engine as the app. Later issues add verbs here.
import { Command } from 'commander';
import { describeError } from '../../shared/ipc/errors';
import type { Channel, ChannelInput, ChannelOutput } from '../../shared/ipc/contract';
import { Engine } from '../engine/engine';
import { resolveWorkspace } from '../engine/workspace';
import { packageVersion } from '../paths';

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

  return program;
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
