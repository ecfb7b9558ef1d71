// `sluice destinations …`: list them, test a connection step by step, print the least-privilege IAM policy, rename or delete one.
import type { Command } from 'commander';
import type { Engine } from '../engine/engine';
import type { Call, WithEngine } from './cli-context';

/** Assume role, in words: the account the role trusts and the external ID(s) it requires. */
const trustSentence = (trust: { account?: string; principal?: string; externalIds: string[] }) =>
  `The role must trust ${trust.principal ? `${trust.principal} (account ${trust.account})` : 'the identity of the base credentials'}` +
  (trust.externalIds.length ? ` and require the external ID${trust.externalIds.length > 1 ? 's' : ''} ${trust.externalIds.join(', ')}.` : '.');

/**
 * Renames the destination and says so; the secrets it moved are said by their new names (a script that
 * rotates one, sluice secrets set NAME, must use it). Its own name again: nothing changed, said so.
 */
async function renameWords(engine: Engine, call: Call, name: string, newName: string): Promise<string[]> {
  const { destination, movedSecrets } = await call(engine, 'renameDestination', { name, newName });
  if (destination.name === name) return [`The destination "${name}" has that name already: nothing changed.`];
  return [`Renamed the destination "${name}" to "${destination.name}".`, ...movedSecrets.map((s) => `Its secret "${s.from}" is now "${s.to}".`)];
}

export function addDestinationsCommands(program: Command, withEngine: WithEngine, call: Call): void {
  const destinations = program.command('destinations').description('destinations: list them, test a connection, rename or delete one');
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
          const mark = s.status === 'ok' ? '✓' : s.status === 'warning' ? '!' : s.status === 'failed' ? '✗' : '–';
          process.stdout.write(`${mark} ${s.step.padEnd(16)} ${s.detail}\n`);
          if (s.hint) process.stdout.write(`  ${''.padEnd(16)} → ${s.hint}\n`);
          if (s.status === 'failed' && s.raw) process.stdout.write(`  ${''.padEnd(16)}   (${s.raw})\n`);
        }
        if (result.listed.length) process.stdout.write(`Listed: ${result.listed.join(', ')}\n`);
      }
      if (!result.ok) process.exitCode = 1;
    });

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
      if (failed)
        process.stderr.write(
          `Note: the connection test failed at ${failed.step} (${failed.detail}); the policy uses placeholders where it would have read the stream.\n`,
        );
      process.stdout.write(JSON.stringify(advice.policy, null, 2) + '\n');
      if (advice.trustPolicy) process.stderr.write(`\nTrust policy of the role:\n${JSON.stringify(advice.trustPolicy, null, 2)}\n`);
      if (advice.trust) process.stderr.write(`${trustSentence(advice.trust)}\n`);
      if (advice.placeholders.length) process.stderr.write(`Replace: ${advice.placeholders.join(', ')}\n`);
    });
  destinations
    .command('rename <name> <newName>')
    .description('rename a destination; its syncs follow it and keep their history, and its secrets named after it (NAME/…) move to the new name')
    .action(async (name: string, newName: string) => {
      const lines = await withEngine(program, (engine) => renameWords(engine, call, name, newName));
      process.stdout.write(lines.map((l) => `${l}\n`).join(''));
    });
  destinations
    .command('delete <name>')
    .description('delete a destination no sync uses')
    .action(async (name: string) => {
      await withEngine(program, (engine) => call(engine, 'deleteDestination', { name }));
      process.stdout.write(`Deleted the destination "${name}".\n`);
    });
}
