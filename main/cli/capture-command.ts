// `sluice capture DESTINATION --into FILE`: a stream's or topic's records written into a local table, checkpointed.
import fs from 'node:fs';
import type { Command } from 'commander';
import { captureModelDefinitions, CaptureFromSchema, type CaptureStatus } from '../../shared/config/capture';
import { CliFailure, CliUsageError, type Call, type WithEngine } from './cli-context';
import path from 'node:path';
import { NameSchema } from '../../shared/config/names';
import type { Engine } from '../engine/engine';
import { fmt } from './cli-format';

function parseFrom(text: string): 'trim-horizon' | 'latest' {
  const lower = text.trim().toLowerCase();
  const alias = lower === 'earliest' || lower === 'beginning' || lower === 'trim_horizon' ? 'trim-horizon' : lower === 'end' ? 'latest' : lower;
  const parsed = CaptureFromSchema.safeParse(alias);
  if (!parsed.success) throw new CliUsageError(`--from must be trim-horizon or latest (got "${text}")`);
  return parsed.data;
}

function summary(s: CaptureStatus): string {
  const lines = s.parts.map((p) => `  ${p.part}\t${p.captured} captured\t${p.state}${p.position ? `\tat ${p.position}` : ''}`);
  const how = s.state === 'done' ? 'caught up' : s.state;
  lines.unshift(`Captured ${fmt.count(s.captured, 'record')} from ${s.target} into ${s.file} (${how}).`);
  return lines.join('\n') + '\n';
}

/** --model's name, and its source's ("NAME file"), as Sluice takes names: refused before the capture, naming the option. */
function checkModelName(file: string, name: string): void {
  const defs = captureModelDefinitions(file, name);
  for (const n of [defs.model.name, defs.source.name]) {
    const parsed = NameSchema.safeParse(n);
    if (!parsed.success)
      throw new CliUsageError(`--model "${name}": ${parsed.error.issues[0]?.message ?? 'not a name'}${n === name ? '' : ` (its source is named "${n}")`}`);
  }
}

/**
 * --model: a source "NAME file" over the captured file and a model NAME over it, if there is none yet. One of that
 * name over another file is left as it is, and said (it was passed over in silence, the new file without a model).
 */
async function addCaptureModel(engine: Engine, call: Call, file: string, name: string, json: boolean): Promise<void> {
  const defs = captureModelDefinitions(file, name);
  const sources = await call(engine, 'listSources', {});
  const pathOf = (source: string) => {
    const found = sources.find((x) => x.name === source);
    return found && 'path' in found ? found.path : undefined;
  };
  const model = (await call(engine, 'listModels', {})).find((m) => m.name === name);
  const elsewhere = (what: string, over: string | undefined) =>
    new CliFailure(
      `The capture is kept in ${file}, but ${what} exists already${over ? ` over ${over}` : ''}, not over this file: it was left as it is. Choose another name with --model`,
    );
  if (model) {
    if (pathOf(model.source) !== file) throw elsewhere(`the model "${name}" (source "${model.source}")`, pathOf(model.source));
    return;
  }
  const sourcePath = pathOf(defs.source.name);
  if (sources.some((x) => x.name === defs.source.name) && sourcePath !== file) throw elsewhere(`the source "${defs.source.name}"`, sourcePath);
  if (sourcePath === undefined) await call(engine, 'saveSource', { source: defs.source, mode: 'create' });
  await call(engine, 'saveModel', { model: defs.model, mode: 'create' });
  if (!json) process.stderr.write(`Created the model "${name}" over ${file}.\n`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function addCaptureCommand(program: Command, withEngine: WithEngine, call: Call): void {
  program
    .command('capture <destination>')
    .description(
      "write a destination's Kinesis stream or Kafka topic into a local SQLite table (captured_records) or NDJSON file; " +
        'checkpointed in the file (or beside it), so running it again resumes where it stopped. Firehose cannot be read back.',
    )
    .requiredOption('--into <file>', 'the file: FILE.sqlite (a SQLite table) or FILE.ndjson (one JSON object per line)')
    .option('--from <position>', 'where the first run starts: trim-horizon or latest (later runs resume from the checkpoint)', 'trim-horizon')
    .option('--until-caught-up', 'stop once every shard or partition is read to its current end (the default)')
    .option('--follow', 'keep capturing new records until Ctrl-C, then stop cleanly at a checkpoint')
    .option('--topic <name>', 'Kafka: the topic to capture (default: the destination’s own; needed where its syncs choose their topics)')
    .option('--model <name>', 'then make the captured table a Sluice model of this name (and a source "NAME file"), if there is none yet')
    .option('--json', 'machine-readable output')
    .action(
      async (
        destination: string,
        opts: { into: string; from: string; untilCaughtUp?: boolean; follow?: boolean; topic?: string; model?: string; json?: boolean },
      ) => {
        if (opts.follow && opts.untilCaughtUp) throw new CliUsageError('Choose --follow or --until-caught-up, not both');
        const from = parseFrom(opts.from);
        const file = path.resolve(opts.into);
        const mode = opts.follow ? 'follow' : 'until-caught-up';
        if (opts.model !== undefined) checkModelName(file, opts.model); // before anything is captured
        const status = await withEngine(program, async (engine) => {
          try {
            let s = await call(engine, 'startCapture', { destination, file, from, mode, topic: opts.topic });
            let interrupted = false;
            const onSignal = () => {
              if (interrupted) return;
              interrupted = true;
              process.stderr.write('Stopping at the last checkpoint…\n');
              void call(engine, 'stopCapture', { id: s.id }).catch(() => undefined);
            };
            process.on('SIGINT', onSignal);
            process.on('SIGTERM', onSignal);
            if (mode === 'follow') process.stderr.write(`Capturing ${s.target} into ${file}; Ctrl-C stops.\n`);
            try {
              for (;;) {
                s = (await call(engine, 'listCaptures', {})).find((c) => c.id === s.id) ?? s;
                if (s.state !== 'running' && s.state !== 'stopping') break;
                await sleep(200);
              }
            } finally {
              process.off('SIGINT', onSignal);
              process.off('SIGTERM', onSignal);
            }
            if (s.state === 'failed') {
              const kept = fs.existsSync(file) ? `${s.captured} records captured before, kept in ${file}` : `nothing was captured, and ${file} was not made`;
              throw new CliFailure(`The capture failed: ${s.error ?? 'unknown error'} (${kept})`);
            }
            if (opts.model) await addCaptureModel(engine, call, file, opts.model, opts.json === true);
            return s;
          } finally {
            await engine.shutdown();
          }
        });
        process.stdout.write(opts.json ? JSON.stringify(status, null, 2) + '\n' : summary(status));
      },
    );
}
