// `sluice inspect`: read records back from a destination, or open one ledger entry's record.
import { minifyJson } from '../../shared/json/minify';
import type { Command } from 'commander';
import {
  INSPECT_MAX_RECORDS,
  INSPECT_MAX_WAIT_MS,
  INSPECT_SHOWN_BYTES,
  type InspectedRecord,
  type InspectRead,
  type ReadBack,
  type RecordData,
  type StartPosition,
} from '../../shared/config/inspector';
import { CliUsageError, type Call, type WithEngine } from './cli-context';
import { wholeNumber, wholeNumberList } from './options';
import { fmt } from './cli-format';

/** `--from` is not a start position this CLI knows. */
export class StartPositionError extends CliUsageError {}

/** `--from`: trim-horizon|earliest|beginning, latest|end, timestamp:ISO, sequence:N, offset:N. */
export function parseStartPosition(text: string): StartPosition {
  const t = text.trim();
  const lower = t.toLowerCase();
  if (['trim-horizon', 'trim_horizon', 'earliest', 'beginning'].includes(lower)) return { at: 'earliest' };
  if (['latest', 'end'].includes(lower)) return { at: 'latest' };
  const colon = t.indexOf(':');
  const kind = colon > 0 ? lower.slice(0, colon) : '';
  const value = colon > 0 ? t.slice(colon + 1) : '';
  if (kind === 'timestamp' || kind === 'at-timestamp') return { at: 'timestamp', timestamp: value };
  if (kind === 'sequence' || kind === 'at-sequence-number') return { at: 'sequence', sequenceNumber: value };
  if (kind === 'offset') return { at: 'offset', offset: value };
  throw new StartPositionError(`--from must be trim-horizon, latest, beginning, end, timestamp:ISO, sequence:N or offset:N (got "${text}")`);
}

const list = (v: string, previous: string[] = []) => [
  ...previous,
  ...v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
];

const ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * Text a record carries (its data when it is no JSON, a key, a header), with its control characters as JSON
 * writes them (a newline \n, an escape \u001b): each record stays one line of tab-separated fields, and the
 * terminal shows an escape sequence a record holds instead of acting on it (clearing the screen, colouring).
 */
export function printable(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.charCodeAt(0);
    const control = code < 0x20 || (code >= 0x7f && code <= 0x9f);
    out += control ? (ESCAPES[c] ?? `\\u${code.toString(16).padStart(4, '0')}`) : c;
  }
  return out;
}

function oneLine(data: RecordData | null): string {
  if (data === null) return '(tombstone: no value)';
  const cut = data.truncated ? ` … (first ${INSPECT_SHOWN_BYTES} of ${data.bytes} bytes shown)` : '';
  if (data.text === null) return `base64:${data.base64 ?? ''}${cut}`;
  // On one line, as sent: whitespace dropped, numbers and strings not re-encoded (JSON.parse rounds a 20-digit id).
  return (data.prettyJson !== null ? minifyJson(data.text) : printable(data.text)) + cut;
}

/** One record on one line: its place, time, key (and headers) and data, tab-separated. */
export function recordLine(r: InspectedRecord): string {
  switch (r.kind) {
    case 'kinesis':
      return `${r.shardId}\t${r.sequenceNumber}\t${r.arrivalTimestamp ?? ''}\tpartition key ${printable(r.partitionKey)}\t${oneLine(r.data)}`;
    case 'kafka': {
      const headers = r.headers.map((h) => `${printable(h.name)}=${printable(h.value)}`).join(',');
      return `${r.topic}-${r.partition}@${r.offset}\t${r.timestamp}\tkey ${r.key === null ? '(null)' : printable(r.key)}\t${headers}\t${oneLine(r.value)}`;
    }
    case 'ledger':
      return `ledger ${r.ledgerId}\trun ${r.runId}\t${r.sentAt ?? ''}\tkey ${printable(r.key)}\t${r.recordId ?? ''}\t${oneLine(r.data)}`;
  }
}

function formatRead(read: InspectRead): string {
  const lines = read.records.map(recordLine);
  if (read.note) lines.unshift(read.note);
  const readers = read.readers.map((r) => `${r.part}: ${r.read} (${r.stopped})`).join(', ');
  lines.push(`${fmt.count(read.records.length, 'record')} from ${read.target}${readers ? ` — ${readers}` : ''}`);
  return lines.join('\n') + '\n';
}

function formatReadBack(rb: ReadBack): string {
  const lines = [`Ledger entry ${rb.entry.id} (key ${rb.entry.key}) on "${rb.destination}"`];
  lines.push(`  sent: ${oneLine(rb.sent)}`);
  if (rb.read && rb.read.kind !== 'ledger') lines.push(`  read: ${recordLine(rb.read)}`);
  lines.push(`  ${rb.match === true ? '✓' : rb.match === false ? '✗' : '–'} ${rb.detail}`);
  return lines.join('\n') + '\n';
}

export function addInspectCommand(program: Command, withEngine: WithEngine, call: Call): void {
  program
    .command('inspect [destination]')
    .description(
      'read records back from a destination (Kinesis shards, Kafka partitions; Firehose: what was sent), or open a ledger entry’s record with --ledger. ' +
        'The sandbox stream keeps its records in the workspace: read them here or in the app, whichever sent them.',
    )
    .option('--stream <name>', 'Kinesis: another stream than the destination’s')
    .option('--topic <name>', 'Kafka: the topic (default: the destination’s)')
    .option('--shard <ids>', 'Kinesis: shard ids to read, comma-separated or repeated (default: all)', list)
    .option('--partition <numbers>', 'Kafka: partitions to read, comma-separated or repeated (default: all)', wholeNumberList('A partition', { min: 0 }))
    .option('--from <position>', 'trim-horizon|beginning, latest|end, timestamp:ISO, sequence:N (Kinesis) or offset:N (Kafka)', 'trim-horizon')
    .option('--limit <n>', `at most this many records (1–${INSPECT_MAX_RECORDS})`, wholeNumber('--limit', { max: INSPECT_MAX_RECORDS }), 100)
    .option(
      '--wait <ms>',
      `after catching up, keep listening this long for new records (at most ${INSPECT_MAX_WAIT_MS} ms)`,
      wholeNumber('--wait', { min: 0, max: INSPECT_MAX_WAIT_MS }),
      0,
    )
    .option('--ledger <id>', 'open the record of this ledger entry and compare the bytes sent with the bytes read', wholeNumber('A ledger id'))
    .option('--json', 'machine-readable output')
    .action(
      async (
        destination: string | undefined,
        opts: {
          stream?: string;
          topic?: string;
          shard?: string[];
          partition?: number[];
          from: string;
          limit: number;
          wait: number;
          ledger?: number;
          json?: boolean;
        },
      ) => {
        if (opts.ledger !== undefined) {
          const rb = await withEngine(program, async (engine) => {
            try {
              return await call(engine, 'inspectLedgerRecord', { ledgerId: opts.ledger! });
            } finally {
              await engine.shutdown();
            }
          });
          process.stdout.write(opts.json ? JSON.stringify(rb, null, 2) + '\n' : formatReadBack(rb));
          if (rb.match === false) process.exitCode = 1;
          return;
        }
        if (!destination) throw new CliUsageError('Say which destination to inspect: sluice inspect DESTINATION (or --ledger ID)');
        const from = parseStartPosition(opts.from);
        const read = await withEngine(program, async (engine) => {
          try {
            return await call(engine, 'inspectRead', {
              destination,
              ...(opts.stream ? { stream: opts.stream } : {}),
              ...(opts.topic ? { topic: opts.topic } : {}),
              ...(opts.shard ? { shards: opts.shard } : {}),
              ...(opts.partition ? { partitions: opts.partition } : {}),
              from,
              limit: opts.limit,
              waitMs: opts.wait,
            });
          } finally {
            await engine.shutdown();
          }
        });
        process.stdout.write(opts.json ? JSON.stringify(read, null, 2) + '\n' : formatRead(read));
      },
    );
}
