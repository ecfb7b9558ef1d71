// `sluice routing SYNC`: the payload editor's routing preview on the command line — where a sync's
// records would land (Kinesis shard, Kafka partition, Firehose delivery stream) for a sample of the
// model, as a histogram with the hot-shard warnings, and where the first rows go.
import { fmt } from './cli-format';
import type { Command } from 'commander';
import type { RoutingPreview } from '../../shared/routing/routing-preview';
import { CliFailure, type Call, type WithEngine } from './cli-context';
import { wholeNumber } from './options';

/** The preview's own limits (RoutingPreviewRequestSchema). */
export const ROUTING_MAX_SAMPLE = 100_000;
export const ROUTING_DEFAULT_SAMPLE = 2000;
const ROUTING_MAX_SHOWN = 100;
const BAR_WIDTH = 30;

const n = fmt.number;
const pct = (part: number, whole: number) => `${whole > 0 ? ((part / whole) * 100).toFixed(1) : '0.0'}%`;

function bytesText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

/** Columns two spaces apart, each aligned as `align` says ('l' or 'r'). */
function table(rows: string[][], align: string): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (align[i] === 'r' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export function formatRouting(sync: string, p: RoutingPreview): string {
  const s = p.sample;
  const lines = [`Routing preview of "${sync}" (${p.destinationKind})`];
  for (const t of p.topology) lines.push(`  ${t.id}: ${t.detail}`);
  const notes = [`${n(s.rows)} of ${n(s.modelRows)} rows sampled`];
  if (s.errors > 0) notes.push(`${n(s.errors)} rows would be rejected (a template error, no route, or a topic or partition the destination lacks)`);
  if (s.roundRobin > 0) notes.push(`${n(s.roundRobin)} keyless records spread round-robin`);
  if (p.ratePerSecond !== null) notes.push(`at ${n(p.ratePerSecond)} records/s`);
  lines.push(notes.join(' · '), '');

  const total = s.buckets.reduce((sum, b) => sum + b.records, 0);
  const max = Math.max(1, ...s.buckets.map((b) => b.records));
  const hot = new Set(p.warnings.map((w) => w.bucket));
  const rows = [
    [p.noun, 'records', 'share', 'even share', 'bytes', ''],
    ...s.buckets.map((b) => [
      b.id,
      n(b.records),
      pct(b.records, total),
      pct(b.fairShare, 1),
      bytesText(b.bytes),
      '█'.repeat(Math.round((b.records / max) * BAR_WIDTH)) + (hot.has(b.id) ? ' !' : ''),
    ]),
  ];
  lines.push(...table(rows, 'lrrrrl'));
  if (s.buckets.length === 0) lines.push(`(no ${p.noun}s)`);
  for (const w of p.warnings) lines.push(`warning: ${w.message}`);

  if (p.items.length > 0) {
    lines.push('');
    const itemRows = [
      ['key', p.noun, 'partition key / hash'],
      ...p.items.map((i) => [
        i.key,
        i.error ? `✗ ${i.error}` : (i.target ?? '-'),
        i.error ? '' : i.explicitHashKey !== null ? `explicit ${i.explicitHashKey}` : (i.partitionKey ?? ''),
      ]),
    ];
    lines.push(...table(itemRows, 'lll'));
  }
  return lines.join('\n') + '\n';
}

export function addRoutingCommand(program: Command, withEngine: WithEngine, call: Call): void {
  program
    .command('routing <sync>')
    .description(
      'preview where a sync’s records would land (shard, partition or delivery stream): counts over a sample of the model, a histogram and hot-shard warnings, and the first rows (exit 1 when the destination cannot be read)',
    )
    .option(
      '--rows <n>',
      `rows of the model to sample for the counts (0–${n(ROUTING_MAX_SAMPLE)}, default ${n(ROUTING_DEFAULT_SAMPLE)})`,
      wholeNumber('--rows', { min: 0, max: ROUTING_MAX_SAMPLE }),
      ROUTING_DEFAULT_SAMPLE,
    )
    .option('--show <n>', `first rows to list with where each lands (1–${ROUTING_MAX_SHOWN}, default 5)`, wholeNumber('--show', { max: ROUTING_MAX_SHOWN }), 5)
    .option('--rate <n>', "records/s the run sends, for the per-shard limits (default: the sync's last run's rate)", wholeNumber('--rate', { max: 10_000_000 }))
    .option('--json', 'machine-readable output')
    .action(async (sync: string, opts: { rows: number; show: number; rate?: number; json?: boolean }) => {
      const preview = await withEngine(program, async (engine) => {
        try {
          return await call(engine, 'previewRouting', {
            sync,
            rows: { mode: 'first', count: opts.show },
            sample: opts.rows,
            ...(opts.rate !== undefined ? { ratePerSecond: opts.rate } : {}),
          });
        } finally {
          await engine.shutdown();
        }
      });
      if (opts.json) {
        process.stdout.write(JSON.stringify(preview, null, 2) + '\n');
        if (preview.problem) process.exitCode = 1;
        return;
      }
      if (preview.problem) throw new CliFailure(preview.problem);
      process.stdout.write(formatRouting(sync, preview));
    });
}
